namespace Microsoft.ML.Kto.Reporting;

/// <summary>One logged value: <paramref name="X"/> is the optimizer step, <paramref name="Y"/> the metric (possibly not finite).</summary>
/// <param name="X">Position on the horizontal axis.</param>
/// <param name="Y">Position on the vertical axis.</param>
internal readonly record struct ChartPoint(double X, double Y)
{
    /// <summary>Whether the point can be drawn; NaN and infinities are skipped rather than breaking the scale.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y);
}
