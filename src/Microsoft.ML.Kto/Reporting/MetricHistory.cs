namespace Microsoft.ML.Kto.Reporting;

/// <summary>Reads chart series out of logged lines, where each line carries only the metrics it logged.</summary>
internal static class MetricHistory
{
    /// <summary>Every key in the history, in the order it was first logged (so unknown metrics chart in a stable order).</summary>
    public static IReadOnlyList<string> Keys(IReadOnlyList<IReadOnlyDictionary<string, double>> history)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var line in history)
        {
            foreach (var key in line.Keys)
            {
                if (seen.Add(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    /// <summary>
    /// The values of <paramref name="key"/> against <c>step</c>; a line without a step is placed at its position in
    /// the history, so it is still drawn rather than dropped.
    /// </summary>
    public static ChartSeries Series(IReadOnlyList<IReadOnlyDictionary<string, double>> history, string key)
    {
        var points = new List<ChartPoint>();
        for (var i = 0; i < history.Count; i++)
        {
            if (!history[i].TryGetValue(key, out var value))
            {
                continue;
            }

            var step = history[i].TryGetValue("step", out var logged) ? logged : i;
            points.Add(new ChartPoint(step, value));
        }
        return new ChartSeries(key, points);
    }
}
