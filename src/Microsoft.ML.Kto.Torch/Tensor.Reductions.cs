using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

public sealed partial class Tensor
{
    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim)
    {
        fixed (long* d = dims) return Result(NativeMethods.kt_reduce(Handle, (int)op, d, dims.Length, keepDim ? 1 : 0));
    }

    /// <summary>Sum of all elements.</summary>
    public Tensor Sum() => Reduce(ReduceOp.Sum, [], false);
    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Reduce(ReduceOp.Mean, [], false);
    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    /// <summary>Maximum of all elements.</summary>
    public Tensor Max() => Reduce(ReduceOp.Amax, [], false);
    /// <summary>Minimum of all elements.</summary>
    public Tensor Min() => Reduce(ReduceOp.Amin, [], false);
    /// <summary>log(sum(exp(x))) over one dimension, computed stably.</summary>
    public Tensor LogSumExp(long dim, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepDim);

    /// <summary>Maximum over one dimension, with the indices where it occurs.</summary>
    public unsafe (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        nint values, indices;
        Status(NativeMethods.kt_max_dim(Handle, dim, keepDim ? 1 : 0, &values, &indices));
        return (new Tensor(values), new Tensor(indices));
    }

    /// <summary>Index of the maximum over one dimension.</summary>
    public Tensor ArgMax(long dim, bool keepDim = false) => Result(NativeMethods.kt_argmax(Handle, dim, 1, keepDim ? 1 : 0));

    /// <summary>Index of the maximum in the flattened tensor.</summary>
    public Tensor ArgMax() => Result(NativeMethods.kt_argmax(Handle, 0, 0, 0));

    /// <summary>Running sum along a dimension.</summary>
    public Tensor CumSum(long dim) => Result(NativeMethods.kt_cumsum(Handle, dim));

    /// <summary>The k largest (or smallest) values along a dimension and their indices.</summary>
    public unsafe (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        nint values, indices;
        Status(NativeMethods.kt_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, &values, &indices));
        return (new Tensor(values), new Tensor(indices));
    }

    /// <summary>Sorted values along a dimension and the permutation that sorts them.</summary>
    public unsafe (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        nint values, indices;
        Status(NativeMethods.kt_sort(Handle, dim, descending ? 1 : 0, &values, &indices));
        return (new Tensor(values), new Tensor(indices));
    }
}
