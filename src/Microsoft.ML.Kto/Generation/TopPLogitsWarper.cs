using Microsoft.ML.Kto.Torch;

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
        if (!(topP is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(topP), topP, "top-p must lie in [0, 1].");
        if (minTokensToKeep < 1) throw new ArgumentOutOfRangeException(nameof(minTokensToKeep), minTokensToKeep, "At least one token must be kept.");
        _topP = topP;
        _minTokensToKeep = minTokensToKeep;
    }

    /// <inheritdoc/>
    public Tensor Process(Tensor scores)
    {
        var vocab = scores.Size(-1);
        var (sorted, order) = scores.Sort(-1);
        var removeSorted = sorted.Softmax(-1).CumSum(-1).Le(1 - _topP);
        var keepable = Tensor.Arange(0, vocab, device: scores.Device).Lt(vocab - Math.Min(_minTokensToKeep, vocab));
        removeSorted = removeSorted.LogicalAnd(keepable);
        // Back to vocabulary order: sorting the permutation yields its inverse (the binding has no scatter).
        var inverse = order.Sort(-1).Indices;
        return scores.MaskedFill(removeSorted.Gather(-1, inverse), double.NegativeInfinity);
    }
}
