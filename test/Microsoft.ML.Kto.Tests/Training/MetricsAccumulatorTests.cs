using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>
/// Each logged metric's definition (KtoMetrics / the behaviour page) against hand computation over a logging
/// interval of two micro-batches. Values are dyadic where possible so the comparisons are exact.
/// </summary>
[TestClass]
public sealed class MetricsAccumulatorTests
{
    // Micro-batch 1: both classes (rows 0 and 2 desirable, row 1 undesirable).
    private static readonly MicroBatchStatistics First = new(
        Loss: 0.625, Kl: 0.25, KlRaw: 0.25,
        Labels: [true, false, true],
        Rewards: [0.5f, -0.25f, 0.125f],
        LogProbs: [-10f, -20f, -30f],
        EntropySums: [3f, 4f, 5f],
        MeanLogitSums: [0.5f, -1f, 2f],
        TokenCounts: [2, 4, 6],
        AttentionTokens: 30);

    // Micro-batch 2: desirable rows only, and a negative raw KL that was clamped.
    private static readonly MicroBatchStatistics Second = new(
        Loss: 0.375, Kl: 0, KlRaw: -0.5,
        Labels: [true, true],
        Rewards: [1f, 0.75f],
        LogProbs: [-4f, -6f],
        EntropySums: [1f, 2f],
        MeanLogitSums: [1.5f, 0.25f],
        TokenCounts: [3, 5],
        AttentionTokens: 12);

    private static Dictionary<string, double> TwoMicroBatches(long tokensBefore = 100)
    {
        var metrics = new MetricsAccumulator { TotalTokens = tokensBefore };
        Assert.IsTrue(metrics.IsEmpty);
        metrics.Add(First);
        metrics.AddOptimizerStep(gradNorm: 2.0, learningRate: 1e-3);
        metrics.Add(Second);
        metrics.AddOptimizerStep(gradNorm: 0.5, learningRate: 5e-4);
        Assert.IsFalse(metrics.IsEmpty);
        return metrics.Flush(epoch: 1.5);
    }

    [TestMethod]
    public void LossAndKlAreMeansOverMicroBatches()
    {
        var m = TwoMicroBatches();
        Assert.AreEqual((0.625 + 0.375) / 2, m[KtoMetrics.Loss], 0);
        Assert.AreEqual((0.25 + 0) / 2, m[KtoMetrics.Kl], 0);
        Assert.AreEqual((0.25 - 0.5) / 2, m[KtoMetrics.KlRaw], 0);
    }

    [TestMethod]
    public void RewardsAndLogpsAreClassSumsOverClassCounts()
    {
        var m = TwoMicroBatches();
        // Not the mean of per-micro-batch means: (0.5 + 0.125 + 1 + 0.75) / 4 rows, not ((0.3125) + (0.875)) / 2.
        Assert.AreEqual((0.5 + 0.125 + 1 + 0.75) / 4, m[KtoMetrics.RewardsChosen], 0);
        Assert.AreEqual(-0.25, m[KtoMetrics.RewardsRejected], 0);
        Assert.AreEqual((-10.0 - 30 - 4 - 6) / 4, m[KtoMetrics.LogpsChosen], 0);
        Assert.AreEqual(-20.0, m[KtoMetrics.LogpsRejected], 0);
    }

    [TestMethod]
    public void MarginsCountOnlyMicroBatchesWithBothClasses()
    {
        var m = TwoMicroBatches();
        // Only micro-batch 1 has both classes: mean chosen (0.5 + 0.125)/2 minus mean rejected -0.25.
        Assert.AreEqual((0.5 + 0.125) / 2 - (-0.25), m[KtoMetrics.RewardsMargins], 0);
    }

    [TestMethod]
    public void EntropyAndLogitsAreTokenWeighted()
    {
        var m = TwoMicroBatches();
        // Sums of per-token values divided by completion tokens, across rows and micro-batches.
        Assert.AreEqual((3.0 + 4 + 5 + 1 + 2) / (2 + 4 + 6 + 3 + 5), m[KtoMetrics.Entropy], 0);
        Assert.AreEqual((0.5 + 2 + 1.5 + 0.25) / (2 + 6 + 3 + 5), m[KtoMetrics.LogitsChosen], 0);
        Assert.AreEqual(-1.0 / 4, m[KtoMetrics.LogitsRejected], 0);
    }

    [TestMethod]
    public void NumTokensIsCumulativeAcrossIntervals()
    {
        var metrics = new MetricsAccumulator { TotalTokens = 100 };
        metrics.Add(First);
        metrics.Add(Second);
        Assert.AreEqual(100 + 30 + 12, metrics.Flush(1)[KtoMetrics.NumTokens], 0);
        metrics.Add(Second);
        // The next interval continues counting; it does not restart from 0.
        Assert.AreEqual(100 + 30 + 12 + 12, metrics.Flush(2)[KtoMetrics.NumTokens], 0);
        Assert.AreEqual(154, metrics.TotalTokens);
    }

    [TestMethod]
    public void GradNormLearningRateAndEpochAreTheLastValues()
    {
        var m = TwoMicroBatches();
        Assert.AreEqual(0.5, m[KtoMetrics.GradNorm], 0);
        Assert.AreEqual(5e-4, m[KtoMetrics.LearningRate], 0);
        Assert.AreEqual(1.5, m[KtoMetrics.Epoch], 0);
    }

    [TestMethod]
    public void FlushStartsANewIntervalAndLeavesOutAbsentClasses()
    {
        var metrics = new MetricsAccumulator();
        metrics.Add(First);
        metrics.Flush(1);
        Assert.IsTrue(metrics.IsEmpty);
        metrics.Add(Second);
        var m = metrics.Flush(2);
        // Only micro-batch 2 counts now; with no undesirable row, rejected metrics and margins are absent, not NaN or 0.
        Assert.AreEqual(0.375, m[KtoMetrics.Loss], 0);
        Assert.AreEqual((1 + 0.75) / 2, m[KtoMetrics.RewardsChosen], 0);
        foreach (var name in new[] { KtoMetrics.RewardsRejected, KtoMetrics.LogpsRejected, KtoMetrics.LogitsRejected, KtoMetrics.RewardsMargins })
        {
            Assert.IsFalse(m.ContainsKey(name), name);
        }

        Assert.IsTrue(m.Values.All(double.IsFinite));
    }

    [TestMethod]
    public void EveryMetricOfAFullIntervalIsReported()
    {
        var m = TwoMicroBatches();
        CollectionAssert.AreEquivalent(KtoMetrics.All.ToArray(), m.Keys.ToArray());
    }
}
