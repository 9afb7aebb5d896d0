using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

/// <summary>How a loss is reduced over its elements (libtorch's numbering).</summary>
public enum Reduction
{
    /// <summary>One loss per element.</summary>
    None = 0,
    /// <summary>Mean over the elements that count.</summary>
    Mean = 1,
    /// <summary>Sum over the elements.</summary>
    Sum = 2,
}

public sealed partial class Tensor
{
    /// <summary>Softmax along a dimension.</summary>
    public Tensor Softmax(long dim) => Result(NativeMethods.kt_softmax(Handle, dim));

    /// <summary>Log-softmax along a dimension.</summary>
    public Tensor LogSoftmax(long dim) => Result(NativeMethods.kt_log_softmax(Handle, dim));

    /// <summary>Values at <paramref name="index"/> along a dimension (as <c>torch.gather</c>).</summary>
    public Tensor Gather(long dim, Tensor index) =>
        Result(NativeMethods.kt_gather(Handle, dim, index.Handle), index);

    /// <summary>Cross-entropy of logits [N, C] against class ids [N]; ids equal to <paramref name="ignoreIndex"/> do not count.</summary>
    public Tensor CrossEntropy(Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100) =>
        Result(NativeMethods.kt_cross_entropy(Handle, target.Handle, ignoreIndex, (int)reduction), target);

    /// <summary>Rows of this [vocab, dim] table for each id of <paramref name="ids"/>.</summary>
    public Tensor Embedding(Tensor ids) =>
        Result(NativeMethods.kt_embedding(Handle, ids.Handle), ids);

    /// <summary>x·Wᵀ + b for this x, a weight [out, in] and an optional bias [out].</summary>
    public Tensor Linear(Tensor weight, Tensor? bias = null) =>
        Result(NativeMethods.kt_linear(Handle, weight.Handle, bias?.Handle ?? 0), weight, bias);

    /// <summary>Hugging Face's RMSNorm over the last dimension: float32 normalisation, cast back, then the weight.</summary>
    public Tensor RmsNorm(Tensor weight, double eps) =>
        Result(NativeMethods.kt_rms_norm(Handle, weight.Handle, eps), weight);

    /// <summary>
    /// log p(target) for each row of these logits [N, V] and targets [N], in float32, without
    /// materialising the whole log-softmax.
    /// </summary>
    public Tensor SelectiveLogSoftmax(Tensor targets) =>
        Result(NativeMethods.kt_selective_log_softmax(Handle, targets.Handle), targets);

    /// <summary>
    /// As <see cref="SelectiveLogSoftmax(Tensor)"/>, and in the same pass (from the same logsumexp, in row chunks, without
    /// gradients) each row's predictive entropy and mean logit, float32 [N]: the statistics KTO logs, without the
    /// several [N, V] float32 temporaries computing them separately would take.
    /// </summary>
    public unsafe Tensor SelectiveLogSoftmax(Tensor targets, out Tensor entropy, out Tensor meanLogit)
    {
        nint entropyHandle = 0, meanHandle = 0;
        var logProbs = Result(NativeMethods.kt_selective_log_softmax_with_stats(Handle, targets.Handle, &entropyHandle, &meanHandle), targets);
        entropy = new Tensor(entropyHandle);
        meanLogit = new Tensor(meanHandle);
        return logProbs;
    }

    /// <summary>
    /// softmax(q·kᵀ·scale + mask)·v for this q [B, H, Tq, D], keys and values [B, H, Tk, D], and an
    /// optional additive mask broadcastable to [B, H, Tq, Tk].
    /// </summary>
    public Tensor Attention(Tensor key, Tensor value, Tensor? additiveMask, double scale) =>
        Result(NativeMethods.kt_attention(Handle, key.Handle, value.Handle, additiveMask?.Handle ?? 0, scale), key, value, additiveMask);
}
