using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// Per-row results over completion tokens: the summed log-probability (KTO's log p(y|x)) and, when asked,
/// the sums of per-token entropy and of per-token mean logit that the metrics aggregate.
/// </summary>
/// <param name="LogProbs">[B] sum over completion tokens of log p(token | prefix); carries gradients when the model does.</param>
/// <param name="TokenCounts">Completion tokens per row.</param>
/// <param name="EntropySums">[B] sum of per-token entropies (detached), or null.</param>
/// <param name="MeanLogitSums">[B] sum of per-token vocabulary-mean logits (detached), or null.</param>
public sealed record CompletionLogProbs(Tensor LogProbs, long[] TokenCounts, Tensor? EntropySums, Tensor? MeanLogitSums)
{
    /// <summary>
    /// Runs the model on [B, T] ids and scores the tokens where <paramref name="completionMask"/> is 1. Token t
    /// is predicted from position t-1; the LM head runs only on those positions, and log-probs are taken by
    /// gather minus logsumexp, never through a full [B, T, vocab] log-softmax.
    /// </summary>
    public static CompletionLogProbs Compute(CausalLM model, Tensor inputIds, Tensor attentionMask, long[] completionMask, bool withStatistics = false)
    {
        long batch = inputIds.Size(0), length = inputIds.Size(1);
        if (completionMask.Length != batch * length)
            throw new ArgumentException($"The completion mask has {completionMask.Length} entries; the batch needs {batch * length} ([{batch}, {length}]).");
        var (flatIndices, counts) = ScoredPositions(completionMask, batch, length);
        // Everything but the per-row results is freed on return rather than at the end of the caller's step.
        using var scope = DisposeScope.Open();
        var hidden = model.Forward(inputIds, attentionMask);
        var scored = Tensor.From<long>(flatIndices, [flatIndices.Length], model.Device);
        var selectedHidden = hidden.Narrow(1, 0, length - 1).Reshape(batch * (length - 1), -1).Index(scored);
        var targets = inputIds.Narrow(1, 1, length - 1).Reshape(-1).Index(scored);
        var logits = model.LmHead(selectedHidden);
        if (!withStatistics)
            return new CompletionLogProbs(scope.MoveToOuter(RowSums(logits.SelectiveLogSoftmax(targets), scored, batch, length - 1)), counts, null, null);
        var tokenLogProbs = logits.SelectiveLogSoftmax(targets, out var entropy, out var meanLogit);
        return new CompletionLogProbs(scope.MoveToOuter(RowSums(tokenLogProbs, scored, batch, length - 1)), counts,
            scope.MoveToOuter(RowSums(entropy, scored, batch, length - 1)), scope.MoveToOuter(RowSums(meanLogit, scored, batch, length - 1)));
    }

    // Flat indices into [B, T-1] of the positions whose next token is a completion token.
    private static (long[] Indices, long[] Counts) ScoredPositions(long[] completionMask, long batch, long length)
    {
        var indices = new List<long>();
        var counts = new long[batch];
        for (long b = 0; b < batch; b++)
            for (long t = 1; t < length; t++)
                if (completionMask[b * length + t] != 0)
                {
                    indices.Add(b * (length - 1) + t - 1);
                    counts[b]++;
                }
        return (indices.ToArray(), counts);
    }

    private static Tensor RowSums(Tensor values, Tensor flatIndices, long batch, long positions)
    {
        var dense = Tensor.Zeros([batch * positions], values.DType, values.Device);
        dense.IndexPut(flatIndices, values);
        return dense.View(batch, positions).Sum(1);
    }
}
