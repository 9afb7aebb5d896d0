using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.Kto.Reporting;

namespace Microsoft.ML.Kto.Tests.Reporting;

[TestClass]
public sealed partial class TrainingReportTests
{
    [TestMethod]
    public void EveryLoggedMetricIsPlottedInExactlyOneChart()
    {
        var history = TypicalHistory();
        var html = TrainingReport.Render(new TrainingReportContent { Title = "run", LogHistory = history });

        var charts = SvgElement().Matches(html);
        var plotted = charts.SelectMany(c => Attribute(c.Value, "data-series").Split(' ')).ToList();
        var expected = history.SelectMany(line => line.Keys).Where(k => k is not ("step" or "epoch")).Distinct().Order().ToList();

        CollectionAssert.AreEqual(expected, plotted.Order().ToList(), "each metric key appears in exactly one chart");
        Assert.AreEqual(plotted.Count, plotted.Distinct().Count(), "no key is plotted twice");
        Assert.AreEqual(charts.Count, Regex.Matches(html, "<svg ").Count, "every chart carries the metric-plot class");
        CollectionAssert.AreEqual(
            new[] { "loss", "rewards", "rewards/margins", "kl", "learning_rate", "logps/chosen", "logps/rejected", "logits/chosen", "entropy", "grad_norm", "num_tokens", "custom_metric" },
            charts.Select(c => Attribute(c.Value, "aria-label")).ToArray(),
            "families come first, then single metrics, then unknown metrics in logged order");
        Assert.AreEqual("loss eval_loss eval_heldout_loss", Attribute(charts[0].Value, "data-series"));
        Assert.AreEqual("rewards/chosen rewards/rejected eval_rewards/chosen eval_rewards/rejected", Attribute(charts[1].Value, "data-series"));
        Assert.AreEqual("kl kl_raw eval_kl eval_my_set_kl_raw", Attribute(charts[3].Value, "data-series"), "set names with underscores map to the longest known metric");
    }

    [TestMethod]
    public void ChartsAreOmittedWhenNoSeriesIsPresent()
    {
        var history = new[] { Line(("step", 1), ("loss", 0.7)), Line(("step", 2), ("loss", 0.6), ("epoch", 0.5)) };
        var html = TrainingReport.Render(new TrainingReportContent { Title = "run", LogHistory = history });

        var charts = SvgElement().Matches(html);
        Assert.AreEqual(1, charts.Count);
        Assert.AreEqual("loss", Attribute(charts[0].Value, "data-series"));
    }

    [TestMethod]
    public void PolylineHasOnePointPerFiniteValueAndSkipsNaN()
    {
        double[] values = [0.69, double.NaN, 0.5, double.PositiveInfinity, 0.4, double.NegativeInfinity, 0.3];
        var series = new ChartSeries("loss", values.Select((v, i) => new ChartPoint(i + 1, v)).ToList());
        var svg = SvgLineChart.Render("loss", [series]);

        var points = PolylinePoints(svg, "loss");
        Assert.AreEqual(values.Count(double.IsFinite), points.Count);
        Assert.IsFalse(svg.Contains("NaN", StringComparison.Ordinal), "no NaN reaches the markup");
        Assert.IsFalse(svg.Contains("Infinity", StringComparison.Ordinal), "no infinity reaches the markup");
        var xs = points.Select(p => p.X).ToList();
        CollectionAssert.AreEqual(xs.Order().ToList(), xs, "points keep step order");
        Assert.IsTrue(points[0].Y < points[^1].Y, "a falling loss is drawn falling (SVG y grows downwards)");
    }

    [TestMethod]
    public void ConstantSeriesRendersFiniteCoordinates()
    {
        var series = new ChartSeries("learning_rate", [new(1, 1e-5), new(2, 1e-5), new(3, 1e-5)]);
        var svg = SvgLineChart.Render("learning_rate", [series]);

        Assert.IsFalse(svg.Contains("NaN", StringComparison.Ordinal));
        var points = PolylinePoints(svg, "learning_rate");
        Assert.AreEqual(3, points.Count);
        Assert.IsTrue(points.All(p => double.IsFinite(p.X) && double.IsFinite(p.Y)));
        Assert.AreEqual(1, points.Select(p => p.Y).Distinct().Count(), "a constant series is a horizontal line");
    }

    [TestMethod]
    public void SinglePointIsDrawnAsAMarker()
    {
        var svg = SvgLineChart.Render("eval", [new ChartSeries("eval_loss", [new(10, 0.5)])]);

        StringAssert.Contains(svg, "<circle data-name=\"eval_loss\"");
        Assert.IsFalse(svg.Contains("<polyline", StringComparison.Ordinal));
        Assert.IsFalse(svg.Contains("NaN", StringComparison.Ordinal));
    }

    [TestMethod]
    public void SeriesWithoutFiniteValuesSaysSo()
    {
        var svg = SvgLineChart.Render("kl", [new ChartSeries("kl", [new(1, double.NaN), new(2, double.NaN)])]);

        StringAssert.Contains(svg, "no finite values");
        Assert.IsFalse(svg.Contains("<polyline", StringComparison.Ordinal));
        Assert.AreEqual("kl", Attribute(svg, "data-series"), "the series is still listed");
    }

    [TestMethod]
    public void TickLabelsAreRoundAndCultureInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var svg = SvgLineChart.Render("lr", [new ChartSeries("learning_rate", [new(1, 0), new(2, 5e-5), new(1200, 1e-4)])]);
            var labels = Regex.Matches(svg, "text-anchor=\"end\" dominant-baseline=\"middle\">([^<]*)<").Select(m => m.Groups[1].Value).ToList();

            Assert.IsTrue(labels.Count is >= 3 and <= 8, $"about five y ticks, got {labels.Count}");
            CollectionAssert.Contains(labels, "0");
            CollectionAssert.Contains(labels, "1e-04");
            Assert.IsFalse(labels.Any(l => l.Contains(',')), "no decimal commas from the current culture");
            StringAssert.Contains(svg, ">1000<", "x ticks print whole steps plainly");
            Assert.AreEqual("1200", NumberFormat.Compact(1200));
            Assert.AreEqual("0.25", NumberFormat.Compact(0.25));
            Assert.AreEqual("1e-05", NumberFormat.Compact(1e-5));
            Assert.AreEqual("0.3", NumberFormat.Compact(0.1 + 0.2), "float noise does not reach labels");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [TestMethod]
    public void TextIsEscapedEverywhere()
    {
        var html = TrainingReport.Render(new TrainingReportContent
        {
            Title = "<script>alert(1)</script>",
            Summary = [KeyValuePair.Create("base <model>", "a & b")],
            Options = [KeyValuePair.Create("beta", "\"0.1\"")],
            LogHistory = [Line(("step", 1), ("<script>", 1.0)), Line(("step", 2), ("<script>", 2.0))],
            Samples = [new ReportSample("<script>alert('x')</script>", "  keep\n  indent", "after", "<b>", "pass")],
        });

        Assert.IsFalse(html.Contains("<script", StringComparison.OrdinalIgnoreCase), "no script element from any text");
        StringAssert.Contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        StringAssert.Contains(html, "a &amp; b");
        StringAssert.Contains(html, "&quot;0.1&quot;");
        StringAssert.Contains(html, "data-series=\"&lt;script&gt;\"");
        StringAssert.Contains(html, "&lt;b&gt;</span>");
        StringAssert.Contains(html, "  keep\n  indent", "whitespace of completions is kept");
        StringAssert.Contains(html, "<span class=\"badge good\">pass</span>");
    }

    [TestMethod]
    public void PageIsSelfContained()
    {
        var html = TrainingReport.Render(new TrainingReportContent
        {
            Title = "run",
            Summary = [KeyValuePair.Create("base model", "tiny")],
            LogHistory = TypicalHistory(),
            Samples = [new ReportSample("p", "b", "a")],
        });

        Assert.IsFalse(html.Contains("http", StringComparison.OrdinalIgnoreCase), "no external URLs, not even xmlns");
        Assert.IsFalse(html.Contains("<script", StringComparison.OrdinalIgnoreCase));
        StringAssert.StartsWith(html, "<!DOCTYPE html>");
        StringAssert.Contains(html, "<style>");
        StringAssert.Contains(html, "<th scope=\"row\">base model</th><td>tiny</td>");
    }

    [TestMethod]
    public void WriteReplacesAnExistingFileAndLeavesNoTemporary()
    {
        var directory = Directory.CreateTempSubdirectory("kto-report-").FullName;
        try
        {
            var path = Path.Combine(directory, "report.html");
            File.WriteAllText(path, "old");

            TrainingReport.Write(path, new TrainingReportContent { Title = "first" });
            TrainingReport.Write(path, new TrainingReportContent { Title = "second", LogHistory = TypicalHistory() });

            var text = File.ReadAllText(path);
            StringAssert.Contains(text, "<h1>second</h1>");
            Assert.IsFalse(text.Contains("first", StringComparison.Ordinal));
            CollectionAssert.AreEqual(new[] { "report.html" }, Directory.GetFiles(directory).Select(Path.GetFileName).ToArray(), "no .tmp file is left");
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, double>> TypicalHistory() =>
    [
        Line(("step", 1), ("loss", 0.69), ("rewards/chosen", 0.01), ("rewards/rejected", -0.01), ("rewards/margins", 0.02), ("kl", 0), ("kl_raw", -0.1),
            ("logps/chosen", -40), ("logps/rejected", -45), ("logits/chosen", 0.3), ("entropy", 2.1), ("learning_rate", 1e-5), ("grad_norm", 3.2),
            ("num_tokens", 1200), ("epoch", 0.25), ("custom_metric", 1)),
        Line(("step", 2), ("loss", 0.61), ("rewards/chosen", 0.08), ("rewards/rejected", -0.07), ("rewards/margins", 0.15), ("kl", 0.01), ("kl_raw", 0.01),
            ("logps/chosen", -38), ("logps/rejected", -47), ("logits/chosen", 0.31), ("entropy", double.NaN), ("learning_rate", 5e-6), ("grad_norm", 2.9),
            ("num_tokens", 2400), ("epoch", 0.5), ("custom_metric", 2)),
        Line(("step", 2), ("eval_loss", 0.63), ("eval_rewards/chosen", 0.05), ("eval_rewards/rejected", -0.04), ("eval_kl", 0.02), ("epoch", 0.5)),
        Line(("step", 2), ("eval_heldout_loss", 0.64), ("eval_my_set_kl_raw", 0.03)),
    ];

    private static IReadOnlyDictionary<string, double> Line(params (string Key, double Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    private static string Attribute(string element, string name) =>
        System.Net.WebUtility.HtmlDecode(Regex.Match(element, $"{name}=\"([^\"]*)\"").Groups[1].Value);

    private static List<(double X, double Y)> PolylinePoints(string svg, string series)
    {
        var points = Regex.Match(svg, $"<polyline data-name=\"{Regex.Escape(series)}\" points=\"([^\"]*)\"").Groups[1].Value;
        Assert.AreNotEqual("", points, $"a polyline for {series}");
        return points.Split(' ').Select(p => p.Split(',')).Select(xy => (Parse(xy[0]), Parse(xy[1]))).ToList();
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex("<svg class=\"metric-plot\"[^>]*>")]
    private static partial Regex SvgElement();
}
