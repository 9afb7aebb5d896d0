using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Nucleus filtering (<c>TopPLogitsWarper</c>): keeps the most likely tokens whose probabilities add up to at least
/// p and sets the others to -∞. As in <c>transformers</c>, a token goes when the cumulative probability of it and all
/// less likely tokens (ascending order) is at most 1 - p, and the most likely tokens always survive.
/// </summary>
public sealed class TopPLogitsWarper : ILogitsProcessor
{
    private readonly double _topP;
    private readonly int _minTokensToKeep;

    /// <summary>Creates the warper; <paramref name="topP"/> lies in [0, 1] and at least <paramref name="minTokensToKeep"/> tokens survive.</summary>
    public TopPLogitsWarper(double topP, int minTokensToKeep = 1)
    {
        if (!(topP is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(topP), topP, "top-p must lie in [0, 1].");
        }

        if (minTokensToKeep < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minTokensToKeep), minTokensToKeep, "At least one token must be kept.");
        }

        _topP = topP;
        _minTokensToKeep = minTokensToKeep;
    }

    /// <inheritdoc/>
    public Tensor Process(Tensor scores)
    {
        var vocab = scores.shape[^1];
        var (sorted, order) = scores.sort(-1);
        var removeSorted = sorted.softmax(-1).cumsum(-1).le(1 - _topP);
        var keepable = arange(0, vocab, ScalarType.Int64, scores.device).lt(vocab - Math.Min(_minTokensToKeep, vocab));
        removeSorted = removeSorted.logical_and(keepable);
        // Back to vocabulary order, as transformers does: scatter the sorted mask through the permutation.
        return scores.masked_fill(removeSorted.scatter(-1, order, removeSorted), double.NegativeInfinity);
    }
}
