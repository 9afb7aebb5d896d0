using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Discourages tokens a row has already seen (<c>RepetitionPenaltyLogitsProcessor</c>): their positive scores are
/// divided by the penalty and their negative scores multiplied by it, once per token however often it occurred.
/// </summary>
public sealed class RepetitionPenaltyLogitsProcessor : ILogitsProcessor
{
    private readonly double _penalty;
    private readonly TokenPresence _seen;

    /// <summary>Creates the processor over the tokens in <paramref name="seen"/>; <paramref name="penalty"/> must be strictly positive.</summary>
    public RepetitionPenaltyLogitsProcessor(double penalty, TokenPresence seen)
    {
        if (!(penalty > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "The repetition penalty must be strictly positive.");
        }

        _penalty = penalty;
        _seen = seen;
    }

    /// <inheritdoc/>
    public Tensor Process(Tensor scores)
    {
        var penalized = where(scores.lt(0), scores * _penalty, scores / _penalty);
        return where(_seen.Mask, penalized, scores);
    }
}
