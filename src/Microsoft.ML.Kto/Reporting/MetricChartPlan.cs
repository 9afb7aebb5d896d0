using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>
/// Decides which logged keys share a chart. Every key except <c>step</c> and <c>epoch</c> lands in exactly one chart,
/// so no logged metric is silently left out of a report, and metrics that are read together (chosen vs rejected
/// rewards, clamped vs raw KL, train vs eval) share axes.
/// </summary>
internal static class MetricChartPlan
{
    private const string EvalPrefix = "eval_";

    /// <summary>Keys that are axes or bookkeeping rather than metrics to plot.</summary>
    public static readonly IReadOnlySet<string> NotPlotted = new HashSet<string>(StringComparer.Ordinal) { "step", KtoMetrics.Epoch };

    // Families first, in the order a reader checks a run: is the loss falling, do rewards separate, is KL sane, what was the schedule.
    private static readonly ChartGroup[] Families =
    [
        new("loss", [KtoMetrics.Loss]),
        new("rewards", [KtoMetrics.RewardsChosen, KtoMetrics.RewardsRejected]),
        new(KtoMetrics.RewardsMargins, [KtoMetrics.RewardsMargins]),
        new("kl", [KtoMetrics.Kl, KtoMetrics.KlRaw]),
        new(KtoMetrics.LearningRate, [KtoMetrics.LearningRate]),
    ];

    // Single-metric charts after the families; metrics not listed here follow in the order they were first logged.
    private static readonly string[] SingleOrder =
    [
        KtoMetrics.LogpsChosen, KtoMetrics.LogpsRejected, KtoMetrics.LogitsChosen, KtoMetrics.LogitsRejected,
        KtoMetrics.Entropy, KtoMetrics.GradNorm, KtoMetrics.NumTokens,
    ];

    /// <summary>A chart before it meets the history: its title and the metric names (not logged keys) it covers.</summary>
    private sealed record ChartGroup(string Title, IReadOnlyList<string> Metrics);

    /// <summary>Plans the charts for <paramref name="keys"/> (logged keys in first-logged order); charts with no keys are omitted.</summary>
    public static IReadOnlyList<MetricChart> Plan(IReadOnlyList<string> keys)
    {
        var plotted = keys.Where(k => !NotPlotted.Contains(k)).Distinct(StringComparer.Ordinal).ToList();
        var known = new HashSet<string>(KtoMetrics.All, StringComparer.Ordinal);
        known.UnionWith(plotted.Where(k => !IsEval(k)));
        var metricOf = plotted.ToDictionary(k => k, k => MetricOf(k, known), StringComparer.Ordinal);

        var inFamily = Families.SelectMany(f => f.Metrics).ToHashSet(StringComparer.Ordinal);
        var singles = SingleOrder.Concat(metricOf.Values).Where(m => !inFamily.Contains(m)).Distinct(StringComparer.Ordinal);
        var groups = Families.Concat(singles.Select(m => new ChartGroup(m, [m])));

        var planned = new List<MetricChart>();
        foreach (var group in groups)
        {
            var members = plotted.Where(k => group.Metrics.Contains(metricOf[k])).ToList();
            if (members.Count == 0)
            {
                continue;
            }
            // Within a chart: train series in the group's metric order, then eval series in logged order.
            var train = group.Metrics.Where(members.Contains);
            var eval = members.Where(IsEval);
            planned.Add(new MetricChart(group.Title, [.. train, .. eval]));
        }
        return planned;
    }

    /// <summary>
    /// The metric an <c>eval_</c> key reports: <c>eval_rewards/chosen</c> → <c>rewards/chosen</c>, and with a named
    /// evaluation set <c>eval_{set}_{metric}</c> → <c>{metric}</c>. Set names may contain underscores, so the longest
    /// known metric suffix wins (<c>eval_my_set_kl_raw</c> → <c>kl_raw</c>, not <c>raw</c>); an unknown metric keeps
    /// its whole name and gets a chart of its own.
    /// </summary>
    internal static string MetricOf(string key, IReadOnlySet<string> knownMetrics)
    {
        if (!IsEval(key))
        {
            return key;
        }

        var rest = key[EvalPrefix.Length..];
        if (knownMetrics.Contains(rest))
        {
            return rest;
        }

        for (var cut = rest.IndexOf('_'); cut >= 0; cut = rest.IndexOf('_', cut + 1))
        {
            var suffix = rest[(cut + 1)..];
            if (knownMetrics.Contains(suffix))
            {
                return suffix;
            }
        }
        return rest;
    }

    private static bool IsEval(string key) => key.StartsWith(EvalPrefix, StringComparison.Ordinal);
}
