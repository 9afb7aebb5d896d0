using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch.Optim;

/// <summary>Gradient-norm clipping, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>Scales the gradients so their global 2-norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static unsafe double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        var handles = Tensor.Handles(parameters);
        double total;
        fixed (nint* h = handles) NativeError.CheckStatus(NativeMethods.kt_clip_grad_norm(h, handles.Length, maxNorm, &total));
        GC.KeepAlive(parameters);
        return total;
    }
}
