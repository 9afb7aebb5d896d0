namespace Microsoft.ML.Kto.Reporting;

/// <summary>One planned chart: its title and the logged keys it plots, in legend order.</summary>
/// <param name="Title">The chart title, a metric name or a family such as <c>rewards</c>.</param>
/// <param name="Keys">Logged keys exactly as in the history (train keys first, then <c>eval_</c> keys).</param>
internal sealed record MetricChart(string Title, IReadOnlyList<string> Keys);
