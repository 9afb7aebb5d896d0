using Microsoft.ML.Kto.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Generation;

/// <summary>Each logits processor against hand-computed results on small score tensors.</summary>
[TestClass]
public sealed class LogitsProcessorTests
{
    private const float Removed = float.NegativeInfinity;

    private static float[] Process(ILogitsProcessor processor, float[] scores, long rows = 1)
    {
        using var scope = NewDisposeScope();
        return processor.Process(tensor(scores, [rows, scores.Length / rows])).data<float>().ToArray();
    }

    // Logits whose softmax is exactly the given probabilities (log-probabilities).
    private static float[] LogitsOf(params double[] probabilities) => probabilities.Select(p => (float)Math.Log(p)).ToArray();

    [TestMethod]
    public void RepetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOfSeenTokensPerRow()
    {
        using var seen = new TokenPresence([[0, 1, 1], [3]], vocabSize: 4);
        var scores = Process(new RepetitionPenaltyLogitsProcessor(2, seen), [2, -1, 0.5f, -3, 2, -1, 0.5f, -3], rows: 2);
        CollectionAssert.AreEqual(new float[] { 1, -2, 0.5f, -3, 2, -1, 0.5f, -6 }, scores);
    }

    [TestMethod]
    public void TokenPresenceRecordsOneNewTokenPerRow()
    {
        using var seen = new TokenPresence([[0, 1], [3]], vocabSize: 4);
        seen.Add([2, 0]);
        CollectionAssert.AreEqual(new[] { true, true, true, false, true, false, false, true }, seen.Mask.data<bool>().ToArray());
    }

    [TestMethod]
    public void TemperatureDividesTheScores()
    {
        CollectionAssert.AreEqual(new float[] { 2, -4, 1 }, Process(new TemperatureLogitsWarper(0.5), [1, -2, 0.5f]));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => new TemperatureLogitsWarper(0));
    }

    [TestMethod]
    public void TopKKeepsTheKBestScoresAndTheirTies()
    {
        CollectionAssert.AreEqual(new[] { Removed, 4, Removed, 3 }, Process(new TopKLogitsWarper(2), [1, 4, 2, 3]));
        CollectionAssert.AreEqual(new[] { Removed, 3, 3, Removed }, Process(new TopKLogitsWarper(1), [1, 3, 3, 0]));
        CollectionAssert.AreEqual(new float[] { 1, 4, 2, 3 }, Process(new TopKLogitsWarper(10), [1, 4, 2, 3]));
    }

    [TestMethod]
    public void TopPKeepsTheSmallestMostLikelySetReachingP()
    {
        // Probabilities 0.3, 0.1, 0.4, 0.2: ascending cumulative 0.1, 0.3, 0.6, 1.0 for tokens 1, 3, 0, 2.
        var logits = LogitsOf(0.3, 0.1, 0.4, 0.2);
        float[] Keep(params int[] kept) => logits.Select((l, i) => kept.Contains(i) ? l : Removed).ToArray();
        CollectionAssert.AreEqual(Keep(0, 2), Process(new TopPLogitsWarper(0.65), logits));
        CollectionAssert.AreEqual(Keep(2), Process(new TopPLogitsWarper(0.15), logits));
        CollectionAssert.AreEqual(Keep(0, 1, 2, 3), Process(new TopPLogitsWarper(1.0), logits));
    }

    [TestMethod]
    public void TopPAlwaysKeepsTheMostLikelyTokens()
    {
        var logits = LogitsOf(0.3, 0.1, 0.4, 0.2);
        CollectionAssert.AreEqual(new[] { Removed, Removed, logits[2], Removed }, Process(new TopPLogitsWarper(0), logits));
        CollectionAssert.AreEqual(new[] { logits[0], Removed, logits[2], Removed }, Process(new TopPLogitsWarper(0, minTokensToKeep: 2), logits));
    }

    [TestMethod]
    public void TopPFiltersEachRowInItsOwnOrder()
    {
        var first = LogitsOf(0.3, 0.1, 0.4, 0.2);
        var second = LogitsOf(0.05, 0.5, 0.05, 0.4);
        var scores = Process(new TopPLogitsWarper(0.8), [.. first, .. second], rows: 2);
        // Row 0 needs 0.4 + 0.3 + 0.2; row 1 needs 0.5 + 0.4.
        CollectionAssert.AreEqual(new[] { first[0], Removed, first[2], first[3], Removed, second[1], Removed, second[3] }, scores);
    }

    [TestMethod]
    public void PipelineRunsTheProcessorsInTransformersOrder()
    {
        var options = new GenerationOptions { DoSample = true, RepetitionPenalty = 1.2, Temperature = 0.7, TopK = 5, TopP = 0.9 };
        using var seen = new TokenPresence([[1]], vocabSize: 4);
        Type[] TypesOf(GenerationOptions o) => LogitsProcessorPipeline.For(o, seen).Processors.Select(p => p.GetType()).ToArray();
        CollectionAssert.AreEqual(
            new[] { typeof(RepetitionPenaltyLogitsProcessor), typeof(TemperatureLogitsWarper), typeof(TopKLogitsWarper), typeof(TopPLogitsWarper) },
            TypesOf(options));
        CollectionAssert.AreEqual(new[] { typeof(RepetitionPenaltyLogitsProcessor) }, TypesOf(options with { DoSample = false }), "greedy skips the warpers");
        CollectionAssert.AreEqual(new[] { typeof(TopKLogitsWarper) }, TypesOf(new GenerationOptions { DoSample = true }), "defaults: top_k 50 only");
    }
}
