using System.Text;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>
/// Writes a training run as one self-contained HTML page: summary, metric charts (inline SVG), options and
/// before/after samples. No scripts or external resources, so it opens offline and is safe to share.
/// </summary>
public static class TrainingReport
{
    /// <summary>Renders the report and writes it to <paramref name="path"/>, replacing any earlier report atomically.</summary>
    /// <param name="path">The HTML file to write; its directory is created when missing.</param>
    /// <param name="content">What the report shows.</param>
    public static void Write(string path, TrainingReportContent content) => AtomicFile.WriteAllText(path, Render(content));

    /// <summary>Renders the report as an HTML document.</summary>
    /// <param name="content">What the report shows.</param>
    /// <returns>The complete HTML page.</returns>
    public static string Render(TrainingReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<title>{Markup.Escape(content.Title)}</title>\n")
            .Append($"<style>\n{ReportStyle.Css}\n</style>\n</head>\n<body>\n")
            .Append($"<h1>{Markup.Escape(content.Title)}</h1>\n");

        AppendPairs(html, "Summary", content.Summary, "Nothing to summarise.");
        AppendCharts(html, content.LogHistory);
        AppendPairs(html, "Options", content.Options, "No options recorded.");
        AppendSamples(html, content.Samples);

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendPairs(StringBuilder html, string heading, IReadOnlyList<KeyValuePair<string, string>> pairs, string whenEmpty)
    {
        html.Append($"<section>\n<h2>{heading}</h2>\n");
        if (pairs.Count == 0)
        {
            html.Append($"<p class=\"empty\">{whenEmpty}</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"pairs\">\n");
        foreach (var (key, value) in pairs)
        {
            html.Append($"<tr><th scope=\"row\">{Markup.Escape(key)}</th><td>{Markup.Escape(value)}</td></tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static void AppendCharts(StringBuilder html, IReadOnlyList<IReadOnlyDictionary<string, double>> history)
    {
        html.Append("<section>\n<h2>Metrics</h2>\n");
        var charts = MetricChartPlan.Plan(MetricHistory.Keys(history));
        if (charts.Count == 0)
        {
            html.Append("<p class=\"empty\">No metrics were logged.</p>\n</section>\n");
            return;
        }
        html.Append("<div class=\"charts\">\n");
        foreach (var chart in charts)
        {
            var series = chart.Keys.Select(key => MetricHistory.Series(history, key)).ToList();
            html.Append(SvgLineChart.Render(chart.Title, series)).Append('\n');
        }
        html.Append("</div>\n</section>\n");
    }

    private static void AppendSamples(StringBuilder html, IReadOnlyList<ReportSample> samples)
    {
        html.Append("<section>\n<h2>Samples</h2>\n");
        if (samples.Count == 0)
        {
            html.Append("<p class=\"empty\">No samples.</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"samples\">\n<thead><tr><th class=\"index\">#</th><th>Prompt</th><th>Before</th><th>After</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            html.Append($"<tr><td class=\"index\">{i + 1}</td>")
                .Append($"<td>{Markup.Escape(sample.Prompt)}</td>")
                .Append($"<td>{Badge(sample.BeforeVerdict)}{Markup.Escape(sample.Before)}</td>")
                .Append($"<td>{Badge(sample.AfterVerdict)}{Markup.Escape(sample.After)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    // The badge ends in a line break because cells preserve whitespace; the completion then starts on its own line.
    private static string Badge(string? verdict) =>
        string.IsNullOrWhiteSpace(verdict) ? "" : $"<span class=\"badge{VerdictTone(verdict)}\">{Markup.Escape(verdict.Trim())}</span>\n";

    // Colour only helps when the verdict is a plain yes/no; any other wording gets the neutral badge.
    private static string VerdictTone(string verdict)
    {
        var word = verdict.Trim().ToLowerInvariant();
        string[] good = ["pass", "passed", "correct", "success", "succeeded", "yes", "good", "ok", "desirable", "true"];
        string[] bad = ["fail", "failed", "incorrect", "wrong", "failure", "no", "bad", "undesirable", "false"];
        return good.Contains(word) ? " good" : bad.Contains(word) ? " bad" : "";
    }
}
