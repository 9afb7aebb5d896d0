using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

/// <summary>
/// Disables gradient recording on this thread until disposed, then restores the previous mode
/// (libtorch's grad mode is thread-local, like PyTorch's <c>torch.no_grad()</c>).
/// </summary>
public readonly struct NoGrad : IDisposable
{
    private readonly bool _previous;

    private NoGrad(bool previous) => _previous = previous;

    /// <summary>Turns gradient recording off.</summary>
    public static NoGrad Enter() => new(SetEnabled(false));

    /// <summary>True when operations on this thread record gradients.</summary>
    public static bool IsEnabled
    {
        get
        {
            var previous = SetEnabled(false);
            SetEnabled(previous);
            return previous;
        }
    }

    /// <summary>Restores the mode that was in force before <see cref="Enter"/>.</summary>
    public void Dispose() => SetEnabled(_previous);

    private static unsafe bool SetEnabled(bool enabled)
    {
        int previous;
        NativeError.CheckStatus(NativeMethods.kt_set_grad_enabled(enabled ? 1 : 0, &previous));
        return previous != 0;
    }
}
