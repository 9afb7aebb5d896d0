using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

public sealed partial class Tensor
{
    /// <summary>Copies <paramref name="data"/> into a new tensor of the given shape.</summary>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null) where T : unmanaged
    {
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {count} elements but {data.Length} were given.");
        return FromBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data), shape, ElementTypeOf<T>(), device);
    }

    /// <summary>Copies a 1-D array into a new tensor.</summary>
    public static Tensor From<T>(T[] data, Device? device = null) where T : unmanaged =>
        From<T>(data, [data.LongLength], device);

    /// <summary>Creates a one-element scalar (0-dimensional) tensor.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) => Full([], value, dtype, device);

    /// <summary>Copies raw little-endian element bytes of <paramref name="dtype"/> into a new tensor.</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, ReadOnlySpan<long> shape, DType dtype, Device? device = null)
    {
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count * dtype.ElementSize() != bytes.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] of {dtype} needs {count * dtype.ElementSize()} bytes but {bytes.Length} were given.");
        var d = device ?? Device.Cpu;
        fixed (byte* p = bytes)
        fixed (long* s = shape)
            return new Tensor(NativeMethods.kt_from_data(p, s, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Uninitialised tensor.</summary>
    public static unsafe Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return new Tensor(NativeMethods.kt_empty(s, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Tensor filled with <paramref name="value"/>.</summary>
    public static unsafe Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return new Tensor(NativeMethods.kt_full(s, shape.Length, value, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Tensor of zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0, dtype, device);

    /// <summary>Tensor of ones.</summary>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    /// <summary>Values start, start+step, ... below end (as <c>torch.arange</c>).</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return new Tensor(NativeMethods.kt_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Normal(mean, std) samples drawn with <paramref name="generator"/> (the global one when null).</summary>
    public static Tensor Normal(ReadOnlySpan<long> shape, double mean = 0, double std = 1, Generator? generator = null,
        DType dtype = DType.Float32, Device? device = null) => Random(shape, 0, mean, std, generator, dtype, device);

    /// <summary>Standard normal samples (as <c>torch.randn</c>).</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Normal(shape, 0, 1, generator, dtype, device);

    /// <summary>Uniform samples in [low, high).</summary>
    public static Tensor Uniform(ReadOnlySpan<long> shape, double low = 0, double high = 1, Generator? generator = null,
        DType dtype = DType.Float32, Device? device = null) => Random(shape, 1, low, high, generator, dtype, device);

    // Samples are drawn in float32 on the CPU and then converted and moved, so a seed means the same values everywhere.
    private static unsafe Tensor Random(ReadOnlySpan<long> shape, int distribution, double a, double b, Generator? generator, DType dtype, Device? device)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            var handle = NativeMethods.kt_random(s, shape.Length, distribution, a, b, generator?.Handle ?? 0, (int)dtype, (int)d.Type, d.Index);
            GC.KeepAlive(generator);
            return new Tensor(handle);
        }
    }

    /// <summary>Draws <paramref name="samples"/> indices per row from the (unnormalised) probabilities.</summary>
    public Tensor Multinomial(long samples, bool replacement = false, Generator? generator = null)
    {
        var handle = NativeMethods.kt_multinomial(Handle, samples, replacement ? 1 : 0, generator?.Handle ?? 0);
        GC.KeepAlive(generator);
        return Result(handle);
    }

    /// <summary>A new tensor with the same values.</summary>
    public Tensor Clone() => Result(NativeMethods.kt_clone(Handle));

    /// <summary>A second handle to the same tensor (same storage, same autograd identity), with its own owner.</summary>
    public Tensor Alias() => Result(NativeMethods.kt_alias(Handle));

    /// <summary>Converts to another device and/or dtype (returns a new handle even when nothing changes).</summary>
    public Tensor To(Device device, DType? dtype = null) => Result(NativeMethods.kt_to(Handle, (int)(dtype ?? DType), (int)device.Type, device.Index));

    /// <summary>Converts to another dtype on the same device.</summary>
    public Tensor To(DType dtype)
    {
        var device = Device;
        return Result(NativeMethods.kt_to(Handle, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>A contiguous tensor with the same values.</summary>
    public Tensor Contiguous() => Result(NativeMethods.kt_contiguous(Handle));

    /// <summary>Copies <paramref name="source"/> into this tensor in place (broadcasting, converting), outside autograd.</summary>
    public void CopyFrom(Tensor source)
    {
        Status(NativeMethods.kt_copy_(Handle, source.Handle));
        GC.KeepAlive(source);
    }
}
