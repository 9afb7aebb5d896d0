namespace Microsoft.ML.Kto.Reporting;

/// <summary>One line of a chart: a metric key as logged (e.g. <c>eval_loss</c>) and its values by step.</summary>
/// <param name="Name">The series name shown in the legend and in the chart's <c>data-series</c> attribute.</param>
/// <param name="Points">Values in logging order; points that are not finite are kept here and skipped when drawn.</param>
internal sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);
