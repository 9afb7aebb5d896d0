using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

/// <summary>Kinds of compute device.</summary>
public enum DeviceType
{
    /// <summary>The host CPU.</summary>
    Cpu = 0,
    /// <summary>An NVIDIA GPU through CUDA (needs the shim built against a CUDA libtorch).</summary>
    Cuda = 1,
}

/// <summary>A compute device: CPU, or a CUDA GPU by index.</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <summary>The CUDA GPU with the given index.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>True when the loaded libtorch has CUDA and sees at least one GPU.</summary>
    public static bool CudaIsAvailable => NativeMethods.kt_cuda_device_count() > 0;

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda") return Cuda();
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var index) && index >= 0)
            return Cuda(index);
        throw new ArgumentException($"Unknown device '{text}'. Use cpu, cuda or cuda:N.", nameof(text));
    }

    /// <inheritdoc/>
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
