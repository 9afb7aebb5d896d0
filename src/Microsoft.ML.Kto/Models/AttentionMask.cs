using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>Builds the additive attention mask and position ids from a padding mask, for left or right padding.</summary>
internal static class AttentionMask
{
    /// <summary>
    /// [B, 1, Tq, Tk] additive mask: 0 where query i (at absolute position past+i) may see key j, the dtype's
    /// most negative finite value elsewhere. Finite rather than -inf, as in HF, so a fully masked query
    /// (a padding position) yields finite values instead of NaN. Null when nothing needs masking.
    /// </summary>
    public static Tensor? Additive(Tensor? paddingMask, long batch, long queries, long past, ScalarType dtype, Device device)
    {
        var keys = past + queries;
        if (paddingMask is null && queries == 1)
        {
            return null;
        }

        var allowed = ones([queries, keys], ScalarType.Bool, device).tril(past);
        allowed = paddingMask is not null
            ? allowed.logical_and(paddingMask.ne(0).view(batch, 1, 1, keys))
            : allowed.view(1, 1, queries, keys);
        return zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), dtype.LowestFinite());
    }

    /// <summary>
    /// Positions of the last <paramref name="queries"/> tokens: the count of real tokens before each one, so
    /// left-padded rows start at 0 like unpadded ones (the convention HF generation uses).
    /// </summary>
    public static Tensor PositionIds(Tensor? paddingMask, long batch, long queries, long past, Device device)
    {
        if (paddingMask is null)
        {
            return arange(past, past + queries, ScalarType.Int64, device).unsqueeze(0).expand(batch, queries);
        }

        var positions = (paddingMask.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);
        return positions.narrow(1, past, queries);
    }
}
