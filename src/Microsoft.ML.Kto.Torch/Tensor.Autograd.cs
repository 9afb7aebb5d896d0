using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor; setting it makes the tensor a leaf that collects .grad.</summary>
    public unsafe bool RequiresGrad
    {
        get
        {
            int value;
            Status(NativeMethods.kt_requires_grad(Handle, &value));
            return value != 0;
        }
        set => Status(NativeMethods.kt_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Back-propagates from this (scalar) tensor, accumulating into the leaves' gradients.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        Status(NativeMethods.kt_backward(Handle, gradient?.Handle ?? 0, retainGraph ? 1 : 0));
        GC.KeepAlive(gradient);
    }

    /// <summary>The accumulated gradient (a new handle sharing its storage), or null when there is none.</summary>
    public unsafe Tensor? Grad
    {
        get
        {
            nint grad;
            Status(NativeMethods.kt_grad(Handle, &grad));
            return grad == 0 ? null : new Tensor(grad);
        }
    }

    /// <summary>The same values, cut from the autograd graph.</summary>
    public Tensor Detach() => Result(NativeMethods.kt_detach(Handle));

    /// <summary>Clears the gradients of the given tensors (frees them, as PyTorch's set_to_none).</summary>
    public static unsafe void ZeroGrad(IReadOnlyList<Tensor> tensors)
    {
        var handles = Handles(tensors);
        fixed (nint* h = handles) NativeError.CheckStatus(NativeMethods.kt_zero_grad(h, handles.Length));
        GC.KeepAlive(tensors);
    }
}
