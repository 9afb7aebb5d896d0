using System.Runtime.InteropServices;
using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

public sealed partial class Tensor
{
    /// <summary>The sizes of each dimension.</summary>
    public unsafe long[] Shape
    {
        get
        {
            long dim;
            Status(NativeMethods.kt_dim(Handle, &dim));
            var shape = new long[dim];
            fixed (long* p = shape) Status(NativeMethods.kt_shape(Handle, p, (int)dim));
            return shape;
        }
    }

    /// <summary>Number of dimensions.</summary>
    public unsafe int Dim
    {
        get
        {
            long dim;
            Status(NativeMethods.kt_dim(Handle, &dim));
            return (int)dim;
        }
    }

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? shape.Length + dim : dim];
    }

    /// <summary>Element type.</summary>
    public DType DType => Info().DType;

    /// <summary>Device holding the data.</summary>
    public Device Device => Info().Device;

    /// <summary>Number of elements.</summary>
    public long NumberOfElements => Info().Numel;

    private unsafe (DType DType, Device Device, long Numel) Info()
    {
        int dtype, deviceType, deviceIndex;
        long numel;
        Status(NativeMethods.kt_info(Handle, &dtype, &deviceType, &deviceIndex, &numel));
        return ((DType)dtype, new Device((DeviceType)deviceType, deviceIndex), numel);
    }

    /// <summary>Copies the elements (row-major) to a new array. <typeparamref name="T"/> must match the dtype.</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var (dtype, _, numel) = Info();
        RequireElementType<T>(dtype);
        var result = new T[numel];
        fixed (T* p = result) Status(NativeMethods.kt_copy_to_host(Handle, p, numel * sizeof(T)));
        return result;
    }

    /// <summary>Copies the raw bytes of the elements (row-major, the tensor's own dtype) into <paramref name="destination"/>.</summary>
    public unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* p = destination) Status(NativeMethods.kt_copy_to_host(Handle, p, destination.Length));
    }

    /// <summary>The value of a one-element tensor.</summary>
    public unsafe T Item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(bool))
        {
            long value;
            Status(NativeMethods.kt_item_long(Handle, &value));
            return typeof(T) == typeof(long) ? (T)(object)value
                : typeof(T) == typeof(int) ? (T)(object)checked((int)value)
                : (T)(object)(value != 0);
        }
        double d;
        Status(NativeMethods.kt_item_double(Handle, &d));
        if (typeof(T) == typeof(double)) return (T)(object)d;
        if (typeof(T) == typeof(float)) return (T)(object)(float)d;
        throw new NotSupportedException($"Item<{typeof(T).Name}> is not supported; use double, float, long, int or bool.");
    }

    internal static void RequireElementType<T>(DType dtype) where T : unmanaged
    {
        var expected = ElementTypeOf<T>();
        if (expected != dtype)
            throw new ArgumentException($"The tensor holds {dtype} elements; {typeof(T).Name} needs {expected}. Convert with To(DType.{expected}) first.");
    }

    /// <summary>The dtype whose elements have the layout of <typeparamref name="T"/>.</summary>
    public static DType ElementTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(bool) ? DType.Bool
        : typeof(T) == typeof(byte) ? DType.UInt8
        : typeof(T) == typeof(Half) ? DType.Float16
        : throw new NotSupportedException($"No tensor dtype has the layout of {typeof(T).Name}.");

    /// <summary>Shape and dtype, for debugging.</summary>
    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor([{string.Join(", ", Shape)}], {DType}, {Device})";
}
