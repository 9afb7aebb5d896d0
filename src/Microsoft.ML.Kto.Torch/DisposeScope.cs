namespace Microsoft.ML.Kto.Torch;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost open scope, and frees them
/// on <see cref="Dispose"/>. Open one around each training step; results that must survive are
/// handed out with <see cref="MoveToOuter"/> (to the enclosing scope, or to the caller when there is none)
/// or <see cref="Detach"/> (to the caller).
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? _current;

    private readonly DisposeScope? _outer;
    private readonly List<Tensor> _owned = new();
    private bool _disposed;

    private DisposeScope(DisposeScope? outer) => _outer = outer;

    /// <summary>The innermost open scope of this thread.</summary>
    public static DisposeScope? Current => _current;

    /// <summary>Opens a scope that becomes the innermost one of this thread.</summary>
    public static DisposeScope Open() => _current = new DisposeScope(_current);

    /// <summary>Number of live tensors this scope owns.</summary>
    public int OwnedCount => _owned.Count(t => t.Scope == this && !t.IsDisposed);

    internal void Adopt(Tensor tensor)
    {
        tensor.Scope = this;
        _owned.Add(tensor);
    }

    // A released tensor stays in the list but no longer points here, so Dispose skips it (O(1) release).
    internal void Release(Tensor tensor)
    {
        if (tensor.Scope == this) tensor.Scope = null;
    }

    /// <summary>Hands the tensor to the enclosing scope (or to the caller when none encloses this one).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        Release(tensor);
        _outer?.Adopt(tensor);
        return tensor;
    }

    /// <summary>Hands the tensor to the caller, who must dispose it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        Release(tensor);
        return tensor;
    }

    /// <summary>Frees every tensor still owned and restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _owned)
            if (tensor.Scope == this) tensor.Dispose();
        _owned.Clear();
        if (_current == this) _current = _outer;
    }
}
