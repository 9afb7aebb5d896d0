using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// Per-row results over completion tokens: the summed log-probability (KTO's log p(y|x)) and, when asked,
/// the sums of per-token entropy and of per-token mean logit that the metrics aggregate.
/// </summary>
/// <param name="LogProbs">[B] float32 sum over completion tokens of log p(token | prefix); carries gradients when the model does.</param>
/// <param name="TokenCounts">Completion tokens per row.</param>
/// <param name="EntropySums">[B] sum of per-token entropies (detached), or null.</param>
/// <param name="MeanLogitSums">[B] sum of per-token vocabulary-mean logits (detached), or null.</param>
public sealed record CompletionLogProbs(Tensor LogProbs, long[] TokenCounts, Tensor? EntropySums, Tensor? MeanLogitSums)
{
    /// <summary>
    /// Runs the model on [B, T] ids and scores the tokens where <paramref name="completionMask"/> is 1. Token t
    /// is predicted from position t-1; the LM head runs only on those positions, and log-probs are taken by
    /// gather minus logsumexp in row chunks (<see cref="SelectiveLogSoftmax"/>), never through a [B, T, vocab] log-softmax.
    /// </summary>
    public static CompletionLogProbs Compute(ICausalLM model, Tensor inputIds, Tensor attentionMask, long[] completionMask, bool withStatistics = false)
    {
        long batch = inputIds.shape[0], length = inputIds.shape[1];
        if (completionMask.Length != batch * length)
        {
            throw new ArgumentException($"The completion mask has {completionMask.Length} entries; the batch needs {batch * length} ([{batch}, {length}]).");
        }

        var (flatIndices, counts) = ScoredPositions(completionMask, batch, length);
        // Everything but the per-row results is freed on return rather than at the end of the caller's step.
        using var scope = NewDisposeScope();
        var hidden = model.Forward(inputIds, attentionMask);
        var scored = tensor(flatIndices, device: model.Device);
        var selectedHidden = hidden.narrow(1, 0, length - 1).reshape(batch * (length - 1), -1).index_select(0, scored);
        var targets = inputIds.narrow(1, 1, length - 1).reshape(-1).index_select(0, scored);
        var (tokenLogProbs, entropy, meanLogit) = SelectiveLogSoftmax.Compute(selectedHidden, model.LmHeadWeight, targets, withStatistics);
        var logProbs = RowSums(tokenLogProbs, scored, batch, length - 1).MoveToOuterDisposeScope();
        return withStatistics
            ? new CompletionLogProbs(logProbs, counts,
                RowSums(entropy!, scored, batch, length - 1).MoveToOuterDisposeScope(), RowSums(meanLogit!, scored, batch, length - 1).MoveToOuterDisposeScope())
            : new CompletionLogProbs(logProbs, counts, null, null);
    }

    // Flat indices into [B, T-1] of the positions whose next token is a completion token.
    private static (long[] Indices, long[] Counts) ScoredPositions(long[] completionMask, long batch, long length)
    {
        var indices = new List<long>();
        var counts = new long[batch];
        for (long b = 0; b < batch; b++)
        {
            for (long t = 1; t < length; t++)
            {
                if (completionMask[b * length + t] != 0)
                {
                    indices.Add(b * (length - 1) + t - 1);
                    counts[b]++;
                }
            }
        }

        return (indices.ToArray(), counts);
    }

    private static Tensor RowSums(Tensor values, Tensor flatIndices, long batch, long positions) =>
        zeros([batch * positions], values.dtype, values.device).index_add(0, flatIndices, values, 1).view(batch, positions).sum(1);
}
