using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>Builds the additive attention mask and position ids from a padding mask, for left or right padding.</summary>
internal static class AttentionMask
{
    /// <summary>
    /// [B, 1, Tq, Tk] additive mask: 0 where query i (at absolute position past+i) may see key j, the dtype's
    /// most negative finite value elsewhere. Finite rather than -inf, as in HF, so a fully masked query
    /// (a padding position) yields finite values instead of NaN. Null when nothing needs masking.
    /// </summary>
    public static Tensor? Additive(Tensor? paddingMask, long batch, long queries, long past, DType dtype, Device device)
    {
        var keys = past + queries;
        if (paddingMask is null && queries == 1) return null;
        var allowed = Tensor.Ones([queries, keys], DType.Bool, device).Tril(past);
        if (paddingMask is not null) allowed = allowed.LogicalAnd(paddingMask.Ne(0).View(batch, 1, 1, keys));
        else allowed = allowed.View(1, 1, queries, keys);
        return Tensor.Zeros(allowed.Shape, dtype, device).MaskedFill(allowed.LogicalNot(), LowestFinite(dtype));
    }

    /// <summary>
    /// Positions of the last <paramref name="queries"/> tokens: the count of real tokens before each one, so
    /// left-padded rows start at 0 like unpadded ones (the convention HF generation uses).
    /// </summary>
    public static Tensor PositionIds(Tensor? paddingMask, long batch, long queries, long past, Device device)
    {
        if (paddingMask is null)
            return Tensor.Arange(past, past + queries, device: device).Unsqueeze(0).Expand(batch, queries);
        var positions = (paddingMask.To(DType.Int64).CumSum(1) - 1).Clamp(min: 0);
        return positions.Narrow(1, past, queries);
    }

    public static double LowestFinite(DType dtype) => dtype switch
    {
        DType.Float16 => -65504.0,
        DType.BFloat16 => -3.3895313892515355e38,
        DType.Float64 => double.MinValue,
        _ => float.MinValue,
    };
}
