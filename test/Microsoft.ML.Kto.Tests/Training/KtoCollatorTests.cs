using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>Collation as TRL's KTO collator does it: right padding, masks, and KL rows prompt_i + completion_{i-1} per batch.</summary>
[TestClass]
public sealed class KtoCollatorTests
{
    private const int Pad = 999; // distinct from every real id so padding is visible
    private static TinyKtoFixtures Fixture = null!;

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    private static List<PreparedExample> Examples(int rows = 6, int batchSize = 3) => Fixture.Prepare(TinyKtoFixtures.TextRows(rows), batchSize);

    private static long[] Row(long[] flat, int width, int row) => flat[(row * width)..((row + 1) * width)];

    // The expected padded row: prompt, completion, then pad ids; the masks follow.
    private static (long[] Ids, long[] Attention, long[] Completion) Expected(int[] prompt, int[] completion, int width)
    {
        var ids = prompt.Concat(completion).Select(i => (long)i).Concat(Enumerable.Repeat((long)Pad, width - prompt.Length - completion.Length)).ToArray();
        var attention = Enumerable.Range(0, width).Select(t => t < prompt.Length + completion.Length ? 1L : 0L).ToArray();
        var completionMask = Enumerable.Range(0, width).Select(t => t >= prompt.Length && t < prompt.Length + completion.Length ? 1L : 0L).ToArray();
        return (ids, attention, completionMask);
    }

    [TestMethod]
    public void RowsAreRightPaddedWithMasks()
    {
        using var scope = NewDisposeScope();
        var chunk = Examples().Take(3).ToList();
        var batch = new KtoCollator(Pad, null, CPU).Collate(chunk, withKl: false);
        var width = chunk.Max(e => e.PromptIds.Length + e.CompletionIds.Length);
        CollectionAssert.AreEqual(new long[] { 3, width }, batch.InputIds.shape);
        Assert.IsTrue(chunk.Select(e => e.PromptIds.Length + e.CompletionIds.Length).Distinct().Count() > 1, "fixture: rows of different lengths");
        var ids = batch.InputIds.data<long>().ToArray();
        var attention = batch.AttentionMask.data<long>().ToArray();
        for (var b = 0; b < 3; b++)
        {
            var expected = Expected(chunk[b].PromptIds, chunk[b].CompletionIds, width);
            CollectionAssert.AreEqual(expected.Ids, Row(ids, width, b), $"ids of row {b}");
            CollectionAssert.AreEqual(expected.Attention, Row(attention, width, b), $"attention of row {b}");
            // Completion mask: 0s over the prompt, 1s over the completion, 0s over padding.
            CollectionAssert.AreEqual(expected.Completion, Row(batch.CompletionMask, width, b), $"completion mask of row {b}");
        }
        CollectionAssert.AreEqual(chunk.Select(e => e.Label).ToArray(), batch.Labels);
        Assert.AreEqual(chunk.Sum(e => (long)e.PromptIds.Length + e.CompletionIds.Length), batch.AttentionTokens);
        Assert.IsNull(batch.KlInputIds);
        Assert.AreSame(chunk, batch.Examples);
    }

    [TestMethod]
    public void KlRowsPairEachPromptWithThePreviousRowsCompletionWithinTheBatch()
    {
        using var scope = NewDisposeScope();
        var examples = Examples(rows: 6, batchSize: 3);
        var collator = new KtoCollator(Pad, null, CPU);
        for (var start = 0; start < 6; start += 3)
        {
            var chunk = examples.Skip(start).Take(3).ToList();
            var batch = collator.Collate(chunk, withKl: true);
            // Row 0 takes the batch's last completion, row i the completion of row i-1; never a row from another batch.
            int[] partner = [2, 0, 1];
            var width = (int)batch.KlInputIds!.shape[1];
            Assert.AreEqual(Enumerable.Range(0, 3).Max(i => chunk[i].PromptIds.Length + chunk[partner[i]].CompletionIds.Length), width);
            var ids = batch.KlInputIds.data<long>().ToArray();
            var attention = batch.KlAttentionMask!.data<long>().ToArray();
            for (var i = 0; i < 3; i++)
            {
                var expected = Expected(chunk[i].PromptIds, chunk[partner[i]].CompletionIds, width);
                CollectionAssert.AreEqual(expected.Ids, Row(ids, width, i), $"KL ids of row {start + i}");
                CollectionAssert.AreEqual(expected.Attention, Row(attention, width, i), $"KL attention of row {start + i}");
                CollectionAssert.AreEqual(expected.Completion, Row(batch.KlCompletionMask!, width, i), $"KL completion mask of row {start + i}");
                // TRL's test: the KL completion differs from the row's own completion.
                CollectionAssert.AreNotEqual(chunk[i].CompletionIds, chunk[i].KlCompletionIds);
            }
        }
    }

    [TestMethod]
    public void KlCompletionsAreCutToMaxLength()
    {
        using var scope = NewDisposeScope();
        var examples = Examples(rows: 2, batchSize: 2);
        // Row 1's prompt plus row 0's completion must fit in maxLength: the completion is cut from the right.
        var maxLength = examples.Max(e => e.PromptIds.Length + e.CompletionIds.Length);
        var longest = examples.Max(e => examples.Max(o => e.PromptIds.Length + o.CompletionIds.Length));
        Assert.IsTrue(longest > maxLength, "fixture: some KL pair must be longer than every own pair");
        var batch = new KtoCollator(Pad, maxLength, CPU).Collate(examples, withKl: true);
        Assert.AreEqual(maxLength, batch.KlInputIds!.shape[1]);
        var attention = batch.KlAttentionMask!.data<long>().ToArray();
        for (var i = 0; i < 2; i++)
        {
            var kl = examples[i].KlCompletionIds!;
            var kept = Math.Min(kl.Length, maxLength - examples[i].PromptIds.Length);
            var expected = Expected(examples[i].PromptIds, kl[..kept], maxLength);
            CollectionAssert.AreEqual(expected.Ids, Row(batch.KlInputIds.data<long>().ToArray(), maxLength, i));
            CollectionAssert.AreEqual(expected.Attention, Row(attention, maxLength, i));
        }
    }

    [TestMethod]
    public void KlWithoutAssignedPartnersIsAnError()
    {
        using var scope = NewDisposeScope();
        var (examples, _) = new KtoDatasetPreparer(Fixture.Encoder(), null).Prepare(TinyKtoFixtures.TextRows(2));
        var e = Assert.ThrowsException<InvalidOperationException>(() => new KtoCollator(Pad, null, CPU).Collate(examples, withKl: true));
        StringAssert.Contains(e.Message, "KlCompletions.Assign");
    }

    [TestMethod]
    public void PrecomputedReferenceLogProbsAreLookedUpByExample()
    {
        using var scope = NewDisposeScope();
        var examples = Examples(rows: 3, batchSize: 3);
        var collator = new KtoCollator(Pad, null, CPU);
        var precomputed = new PrecomputedReferenceLogProbs();
        precomputed.Add(examples, new FixedReference(), collator, batchSize: 2, withKl: true);
        Assert.AreEqual(3, precomputed.Count);
        // A batch in another order gets each example's own values.
        var batch = collator.Collate([examples[2], examples[0]], withKl: true);
        var (logProbs, klLogProbs) = precomputed.Compute(batch, withKl: true);
        CollectionAssert.AreEqual(new[] { -3f * examples[2].CompletionIds.Length, -3f * examples[0].CompletionIds.Length }, logProbs.data<float>().ToArray());
        CollectionAssert.AreEqual(new[] { -0.5f * examples[2].PromptIds.Length, -0.5f * examples[0].PromptIds.Length }, klLogProbs!.data<float>().ToArray());
        // Without KL the KL reference values are not returned.
        Assert.IsNull(precomputed.Compute(batch, withKl: false).KlLogProbs);
        var unknown = Examples(rows: 1, batchSize: 1);
        Assert.ThrowsException<InvalidOperationException>(() => precomputed.Compute(collator.Collate(unknown, withKl: false), withKl: false));
    }

    // Values that identify the row: -3 per completion token, -0.5 per prompt token for the KL pair.
    private sealed class FixedReference : IReferenceLogProbs
    {
        public (Tensor LogProbs, Tensor? KlLogProbs) Compute(KtoBatch batch, bool withKl) =>
            (tensor(batch.Examples.Select(e => -3f * e.CompletionIds.Length).ToArray()),
             withKl ? tensor(batch.Examples.Select(e => -0.5f * e.PromptIds.Length).ToArray()) : null);
    }
}
