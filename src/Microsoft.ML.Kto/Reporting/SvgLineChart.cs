using System.Text;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>
/// Draws one metric chart as an inline <c>&lt;svg&gt;</c> element: title, axes with round tick labels, one line per
/// series and a legend. Plain SVG with no script, so the report opens offline in any browser.
/// </summary>
internal static class SvgLineChart
{
    private const double Width = 480;
    private const double PlotLeft = 64;
    private const double PlotRight = Width - 16;
    private const double PlotTop = 36;
    private const double PlotBottom = 230;
    private const double AxisTitleY = PlotBottom + 36;
    private const double LegendTop = AxisTitleY + 20;
    private const double LegendRowHeight = 18;
    private const double LegendSwatch = 18;
    // A rough average glyph width at font-size 11; legends only need to wrap before they overflow, not to fit tightly.
    private const double CharWidth = 6.4;

    // Tableau 10: distinguishable from each other and for the common colour-vision deficiencies.
    private static readonly string[] Palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>The CSS class every chart carries, so readers and tests can find the charts in a page.</summary>
    public const string CssClass = "metric-plot";

    /// <summary>Renders the chart; series are drawn, coloured and listed in the order given.</summary>
    public static string Render(string title, IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(series);

        var legend = LayoutLegend(series);
        var height = LegendTop + legend.Rows * LegendRowHeight + 4;
        var names = string.Join(' ', series.Select(s => s.Name));
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"{CssClass}\" data-series=\"{Markup.Escape(names)}\" ")
           .Append($"viewBox=\"0 0 {Num(Width)} {Num(height)}\" width=\"{Num(Width)}\" height=\"{Num(height)}\" ")
           .Append($"role=\"img\" aria-label=\"{Markup.Escape(title)}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n");
        svg.Append($"<title>{Markup.Escape(title)}</title>\n");
        svg.Append($"<text x=\"{Num(Width / 2)}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{Markup.Escape(title)}</text>\n");

        var finite = series.SelectMany(s => s.Points).Where(p => p.IsFinite).ToList();
        if (finite.Count == 0)
        {
            AppendFrame(svg);
            svg.Append($"<text x=\"{Num((PlotLeft + PlotRight) / 2)}\" y=\"{Num((PlotTop + PlotBottom) / 2)}\" text-anchor=\"middle\" fill=\"#777\">no finite values</text>\n");
        }
        else
        {
            var frame = new Frame(
                NiceScale.Create(finite.Min(p => p.X), finite.Max(p => p.X)),
                NiceScale.Create(finite.Min(p => p.Y), finite.Max(p => p.Y)));
            AppendGridAndTicks(svg, frame);
            AppendFrame(svg);
            for (var i = 0; i < series.Count; i++)
            {
                AppendSeries(svg, frame, series[i], ColourOf(i));
            }
        }

        svg.Append($"<text x=\"{Num((PlotLeft + PlotRight) / 2)}\" y=\"{Num(AxisTitleY)}\" text-anchor=\"middle\">step</text>\n");
        AppendLegend(svg, series, legend);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Maps data values to pixels; the scales are never empty, so no mapping divides by zero.</summary>
    private readonly record struct Frame(NiceScale X, NiceScale Y)
    {
        public double PixelX(double x) => PlotLeft + (x - X.Min) / (X.Max - X.Min) * (PlotRight - PlotLeft);

        // SVG's y grows downwards, so larger values sit nearer the top.
        public double PixelY(double y) => PlotBottom - (y - Y.Min) / (Y.Max - Y.Min) * (PlotBottom - PlotTop);
    }

    private readonly record struct LegendLayout(IReadOnlyList<(double X, int Row)> Items, int Rows);

    private static string ColourOf(int index) => Palette[index % Palette.Length];

    private static string Num(double value) => NumberFormat.Coordinate(value);

    private static void AppendFrame(StringBuilder svg) =>
        svg.Append($"<rect x=\"{Num(PlotLeft)}\" y=\"{Num(PlotTop)}\" width=\"{Num(PlotRight - PlotLeft)}\" height=\"{Num(PlotBottom - PlotTop)}\" fill=\"none\" stroke=\"#999\"/>\n");

    private static void AppendGridAndTicks(StringBuilder svg, Frame frame)
    {
        foreach (var tick in frame.Y.Ticks)
        {
            var y = Num(frame.PixelY(tick));
            svg.Append($"<line x1=\"{Num(PlotLeft)}\" y1=\"{y}\" x2=\"{Num(PlotRight)}\" y2=\"{y}\" stroke=\"#e5e5e5\"/>")
               .Append($"<text x=\"{Num(PlotLeft - 6)}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Markup.Escape(NumberFormat.Compact(tick))}</text>\n");
        }
        foreach (var tick in frame.X.Ticks)
        {
            var x = Num(frame.PixelX(tick));
            svg.Append($"<line x1=\"{x}\" y1=\"{Num(PlotTop)}\" x2=\"{x}\" y2=\"{Num(PlotBottom)}\" stroke=\"#f0f0f0\"/>")
               .Append($"<text x=\"{x}\" y=\"{Num(PlotBottom + 16)}\" text-anchor=\"middle\">{Markup.Escape(NumberFormat.Compact(tick))}</text>\n");
        }
    }

    private static void AppendSeries(StringBuilder svg, Frame frame, ChartSeries series, string colour)
    {
        var points = series.Points.Where(p => p.IsFinite).ToList();
        var name = Markup.Escape(series.Name);
        if (points.Count == 1)
        {
            // A one-point polyline draws nothing; a marker shows the value exists.
            svg.Append($"<circle data-name=\"{name}\" cx=\"{Num(frame.PixelX(points[0].X))}\" cy=\"{Num(frame.PixelY(points[0].Y))}\" r=\"3.5\" fill=\"{colour}\"/>\n");
        }
        else if (points.Count > 1)
        {
            var coordinates = string.Join(' ', points.Select(p => $"{Num(frame.PixelX(p.X))},{Num(frame.PixelY(p.Y))}"));
            svg.Append($"<polyline data-name=\"{name}\" points=\"{coordinates}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\"{DashFor(series.Name)} stroke-linejoin=\"round\"/>\n");
        }
    }

    // Evaluation lines are dashed so train and eval of one metric are told apart without relying on colour alone.
    private static string DashFor(string name) => name.StartsWith("eval_", StringComparison.Ordinal) ? " stroke-dasharray=\"5 3\"" : "";

    private static string LegendLabel(ChartSeries series) =>
        series.Points.Any(p => p.IsFinite) ? series.Name : series.Name + " (no finite values)";

    private static LegendLayout LayoutLegend(IReadOnlyList<ChartSeries> series)
    {
        var items = new List<(double X, int Row)>(series.Count);
        double x = PlotLeft;
        var row = 0;
        foreach (var s in series)
        {
            var width = LegendSwatch + 6 + LegendLabel(s).Length * CharWidth + 14;
            if (x > PlotLeft && x + width > Width)
            {
                row++;
                x = PlotLeft;
            }
            items.Add((x, row));
            x += width;
        }
        return new LegendLayout(items, series.Count == 0 ? 0 : row + 1);
    }

    private static void AppendLegend(StringBuilder svg, IReadOnlyList<ChartSeries> series, LegendLayout legend)
    {
        for (var i = 0; i < series.Count; i++)
        {
            var (x, row) = legend.Items[i];
            var y = LegendTop + row * LegendRowHeight + LegendRowHeight / 2;
            svg.Append($"<line x1=\"{Num(x)}\" y1=\"{Num(y)}\" x2=\"{Num(x + LegendSwatch)}\" y2=\"{Num(y)}\" stroke=\"{ColourOf(i)}\" stroke-width=\"2.5\"{DashFor(series[i].Name)}/>")
               .Append($"<text x=\"{Num(x + LegendSwatch + 6)}\" y=\"{Num(y)}\" dominant-baseline=\"middle\">{Markup.Escape(LegendLabel(series[i]))}</text>\n");
        }
    }
}
