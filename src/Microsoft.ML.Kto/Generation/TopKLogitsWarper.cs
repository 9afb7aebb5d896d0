using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Keeps the k highest scores of each row and sets the others to -∞ (<c>TopKLogitsWarper</c>). Tokens tied with
/// the k-th score are kept too, as in <c>transformers</c>.
/// </summary>
public sealed class TopKLogitsWarper : ILogitsProcessor
{
    private readonly int _topK;

    /// <summary>Creates the warper; at least <paramref name="minTokensToKeep"/> tokens survive whatever <paramref name="topK"/> says.</summary>
    public TopKLogitsWarper(int topK, int minTokensToKeep = 1)
    {
        if (topK < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(topK), topK, "top-k must keep at least one token.");
        }

        if (minTokensToKeep < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minTokensToKeep), minTokensToKeep, "At least one token must be kept.");
        }

        _topK = Math.Max(topK, minTokensToKeep);
    }

    /// <inheritdoc/>
    public Tensor Process(Tensor scores)
    {
        var k = (int)Math.Min(_topK, scores.shape[^1]);
        var kthBest = scores.topk(k).values.narrow(-1, k - 1, 1);
        return scores.masked_fill(scores.lt(kthBest), double.NegativeInfinity);
    }
}
