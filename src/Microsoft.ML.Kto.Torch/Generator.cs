using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

/// <summary>
/// A seeded random generator (libtorch's CPU Philox/MT generator). Random tensors are drawn on the CPU
/// and moved, so a seed gives the same values on every device. The state can be saved and restored,
/// which checkpoints use to resume bit-exactly.
/// </summary>
public sealed class Generator : IDisposable
{
    private nint _handle;

    /// <summary>Creates a generator with the given seed.</summary>
    public Generator(ulong seed) => _handle = NativeError.CheckHandle(NativeMethods.kt_generator_new(seed));

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(Generator));

    /// <summary>The generator state as a byte tensor (owned by the caller or the current scope).</summary>
    public Tensor GetState()
    {
        var state = new Tensor(NativeMethods.kt_generator_get_state(Handle));
        GC.KeepAlive(this);
        return state;
    }

    /// <summary>Restores a state produced by <see cref="GetState"/>.</summary>
    public void SetState(Tensor state)
    {
        NativeError.CheckStatus(NativeMethods.kt_generator_set_state(Handle, state.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(state);
    }

    /// <summary>Frees the native generator.</summary>
    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0) NativeMethods.kt_generator_free(handle);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees a generator nobody disposed.</summary>
    ~Generator() => Dispose();
}
