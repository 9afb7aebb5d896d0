using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

/// <summary>
/// One handle to a libtorch tensor. The handle has exactly one owner: whoever disposes it, or the
/// innermost <see cref="DisposeScope"/> that was open when the tensor was created. The finalizer frees
/// a forgotten handle only as a last resort; code is expected to dispose.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private nint _handle;

    /// <summary>The dispose scope that owns this tensor, if any.</summary>
    internal DisposeScope? Scope { get; set; }

    internal Tensor(nint handle)
    {
        _handle = NativeError.CheckHandle(handle);
        DisposeScope.Current?.Adopt(this);
    }

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(Tensor), "The tensor was disposed.");

    /// <summary>True once the native handle has been freed.</summary>
    public bool IsDisposed => _handle == 0;

    /// <summary>Number of native tensor handles alive in the process (all threads).</summary>
    public static long LiveCount => NativeMethods.kt_live_tensors();

    /// <summary>Frees the native handle now; safe to call more than once.</summary>
    public void Dispose()
    {
        FreeHandle();
        Scope?.Release(this);
        GC.SuppressFinalize(this);
    }

    /// <summary>Last resort for a tensor nobody disposed; never touches the scope (other objects may be gone).</summary>
    ~Tensor() => FreeHandle();

    private void FreeHandle()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0) NativeMethods.kt_free(handle);
    }

    /// <summary>Wraps a handle returned by a call on this tensor, keeping this tensor alive across the call.</summary>
    private Tensor Result(nint handle)
    {
        GC.KeepAlive(this);
        return new Tensor(handle);
    }

    /// <summary>
    /// As <see cref="Result(nint)"/> for calls that also took other tensors: passing them here keeps them reachable
    /// until the native call has returned.
    /// </summary>
    private Tensor Result(nint handle, Tensor? operand, Tensor? second = null, Tensor? third = null)
    {
        GC.KeepAlive(operand);
        GC.KeepAlive(second);
        GC.KeepAlive(third);
        return Result(handle);
    }

    /// <summary>The native handles of several tensors, for calls that take arrays.</summary>
    internal static nint[] Handles(IReadOnlyList<Tensor> tensors)
    {
        var handles = new nint[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        return handles;
    }

    private void Status(int status)
    {
        GC.KeepAlive(this);
        NativeError.CheckStatus(status);
    }
}

public sealed partial class Tensor
{
    /// <summary>Takes this tensor out of the dispose scope that owns it: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Release(this);
        return this;
    }
}
