namespace Microsoft.ML.Kto.Training;

/// <summary>Accumulates micro-batch statistics over a logging interval and produces <see cref="KtoMetrics"/> values.</summary>
public sealed class MetricsAccumulator
{
    private readonly Dictionary<string, (double Sum, double Count)> _sums = new();
    private double _lastGradNorm = double.NaN;
    private double _lastLearningRate = double.NaN;

    /// <summary>Tokens seen since training began (carried across intervals and checkpoints).</summary>
    public long TotalTokens { get; set; }

    /// <summary>True when nothing was added since the last <see cref="Flush"/>.</summary>
    public bool IsEmpty => _sums.Count == 0;

    private void Add(string name, double sum, double count)
    {
        var (s, c) = _sums.GetValueOrDefault(name);
        _sums[name] = (s + sum, c + count);
    }

    /// <summary>Adds one micro-batch.</summary>
    public void Add(MicroBatchStatistics m)
    {
        Add(KtoMetrics.Loss, m.Loss, 1);
        Add(KtoMetrics.Kl, m.Kl, 1);
        Add(KtoMetrics.KlRaw, m.KlRaw, 1);
        Add(KtoMetrics.Entropy, m.EntropySums.Sum(), m.TokenCounts.Sum());
        TotalTokens += m.AttentionTokens;
        double chosenRewards = 0, rejectedRewards = 0;
        int chosen = 0, rejected = 0;
        for (var i = 0; i < m.Labels.Length; i++)
        {
            var (rewards, logps, logits) = m.Labels[i]
                ? (KtoMetrics.RewardsChosen, KtoMetrics.LogpsChosen, KtoMetrics.LogitsChosen)
                : (KtoMetrics.RewardsRejected, KtoMetrics.LogpsRejected, KtoMetrics.LogitsRejected);
            Add(rewards, m.Rewards[i], 1);
            Add(logps, m.LogProbs[i], 1);
            Add(logits, m.MeanLogitSums[i], m.TokenCounts[i]);
            if (m.Labels[i]) { chosenRewards += m.Rewards[i]; chosen++; }
            else { rejectedRewards += m.Rewards[i]; rejected++; }
        }
        if (chosen > 0 && rejected > 0)
        {
            Add(KtoMetrics.RewardsMargins, chosenRewards / chosen - rejectedRewards / rejected, 1);
        }
    }

    /// <summary>Records an optimizer step's gradient norm and learning rate.</summary>
    public void AddOptimizerStep(double gradNorm, double learningRate)
    {
        _lastGradNorm = gradNorm;
        _lastLearningRate = learningRate;
    }

    /// <summary>The interval's averages (metrics without data are left out), then starts a new interval.</summary>
    public Dictionary<string, double> Flush(double epoch)
    {
        var result = new Dictionary<string, double>();
        foreach (var name in KtoMetrics.All)
        {
            if (_sums.TryGetValue(name, out var v) && v.Count > 0)
            {
                result[name] = v.Sum / v.Count;
            }
        }

        result[KtoMetrics.NumTokens] = TotalTokens;
        if (!double.IsNaN(_lastGradNorm))
        {
            result[KtoMetrics.GradNorm] = _lastGradNorm;
        }

        if (!double.IsNaN(_lastLearningRate))
        {
            result[KtoMetrics.LearningRate] = _lastLearningRate;
        }

        result[KtoMetrics.Epoch] = epoch;
        _sums.Clear();
        return result;
    }
}
