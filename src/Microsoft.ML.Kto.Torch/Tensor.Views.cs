using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

public sealed partial class Tensor
{
    /// <summary>A view with another shape (one dimension may be -1); fails if the memory layout does not allow it.</summary>
    public unsafe Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Result(NativeMethods.kt_view(Handle, s, shape.Length));
    }

    /// <summary>Another shape, copying only when a view is impossible.</summary>
    public unsafe Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Result(NativeMethods.kt_reshape(Handle, s, shape.Length));
    }

    /// <summary>Broadcasts size-1 dimensions to the given shape (-1 keeps a dimension) without copying.</summary>
    public unsafe Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape) return Result(NativeMethods.kt_expand(Handle, s, shape.Length));
    }

    /// <summary>Reorders dimensions.</summary>
    public unsafe Tensor Permute(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims) return Result(NativeMethods.kt_permute(Handle, d, dims.Length));
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(long dim0, long dim1) => Result(NativeMethods.kt_transpose(Handle, dim0, dim1));

    /// <summary>Elements start..end-1 (step) along a dimension, as Python's <c>t[..., start:end:step]</c>.</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) => Result(NativeMethods.kt_slice(Handle, dim, start, end, step));

    /// <summary>A view of <paramref name="length"/> elements from <paramref name="start"/> along a dimension.</summary>
    public Tensor Narrow(long dim, long start, long length) => Result(NativeMethods.kt_narrow(Handle, dim, start, length));

    /// <summary>Removes a dimension by taking one index of it.</summary>
    public Tensor Select(long dim, long index) => Result(NativeMethods.kt_select(Handle, dim, index));

    /// <summary>Picks the given indices along a dimension (copy).</summary>
    public Tensor IndexSelect(long dim, Tensor index) =>
        Result(NativeMethods.kt_index_select(Handle, dim, index.Handle), index);

    /// <summary>Advanced indexing on the first dimension with a long or bool tensor: <c>t[index]</c>.</summary>
    public Tensor Index(Tensor index) =>
        Result(NativeMethods.kt_index(Handle, index.Handle), index);

    /// <summary>In-place <c>t[index] = value</c> on the first dimension.</summary>
    public void IndexPut(Tensor index, Tensor value)
    {
        Status(NativeMethods.kt_index_put_(Handle, index.Handle, value.Handle));
        GC.KeepAlive(index);
        GC.KeepAlive(value);
    }

    /// <summary>Inserts a size-1 dimension.</summary>
    public Tensor Unsqueeze(long dim) => Result(NativeMethods.kt_unsqueeze(Handle, dim));

    /// <summary>Removes a size-1 dimension (no-op if its size is not 1).</summary>
    public Tensor Squeeze(long dim) => Result(NativeMethods.kt_squeeze(Handle, dim));

    /// <summary>Removes every size-1 dimension.</summary>
    public Tensor Squeeze() => Result(NativeMethods.kt_squeeze_all(Handle));

    /// <summary>Merges dimensions start..end into one.</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Result(NativeMethods.kt_flatten(Handle, startDim, endDim));

    /// <summary>Repeats each element <paramref name="repeats"/> times along a dimension.</summary>
    public Tensor RepeatInterleave(long repeats, long dim) => Result(NativeMethods.kt_repeat_interleave(Handle, repeats, dim));

    /// <summary>Upper triangle (elements below the given diagonal zeroed).</summary>
    public Tensor Triu(long diagonal = 0) => Result(NativeMethods.kt_triu(Handle, diagonal));

    /// <summary>Lower triangle (elements above the given diagonal zeroed).</summary>
    public Tensor Tril(long diagonal = 0) => Result(NativeMethods.kt_tril(Handle, diagonal));

    /// <summary>Splits into at most <paramref name="chunks"/> pieces along a dimension.</summary>
    public unsafe Tensor[] Chunk(int chunks, long dim = 0)
    {
        var handles = new nint[chunks];
        int count;
        fixed (nint* h = handles) Status(NativeMethods.kt_chunk(Handle, chunks, dim, h, chunks, &count));
        var result = new Tensor[count];
        for (var i = 0; i < count; i++) result[i] = new Tensor(handles[i]);
        return result;
    }

    /// <summary>Concatenates along an existing dimension.</summary>
    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        fixed (nint* h = Handles(tensors))
        {
            var result = new Tensor(NativeMethods.kt_cat(h, tensors.Count, dim));
            GC.KeepAlive(tensors);
            return result;
        }
    }

    /// <summary>Stacks along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        using var scope = DisposeScope.Open();
        return scope.MoveToOuter(Cat(tensors.Select(t => t.Unsqueeze(dim)).ToList(), dim));
    }
}
