using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>Element types and devices as users and Hugging Face configs spell them, mapped to TorchSharp's.</summary>
public static class TorchTypes
{
    /// <summary>Parses names as Hugging Face configs and users write them: float32/fp32/bfloat16/bf16/float16/fp16/half/float64.</summary>
    public static ScalarType ParseDType(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "float" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "half" => ScalarType.Float16,
        "float64" or "fp64" or "double" => ScalarType.Float64,
        _ => throw new ArgumentException($"Unknown dtype '{name}'. Use float32, bfloat16, float16 or float64.", nameof(name)),
    };

    /// <summary>The Hugging Face spelling (torch_dtype in config.json).</summary>
    public static string ToHuggingFaceName(this ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        ScalarType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a floating-point model dtype"),
    };

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Bool or ScalarType.Int8 => 1,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unsupported dtype"),
    };

    /// <summary>The most negative finite value (HF's <c>torch.finfo(dtype).min</c>), used for masked attention scores.</summary>
    public static double LowestFinite(this ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float64 => double.MinValue,
        _ => float.MinValue,
    };

    /// <summary>
    /// Parses "cpu", "cuda" or "cuda:N" and checks that the loaded libtorch can use it: a CUDA device on the CPU runtime
    /// is one error naming the build switch, not libtorch's dispatcher dump.
    /// </summary>
    public static Device ParseDevice(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        int index;
        if (t == "cpu")
        {
            return CPU;
        }

        if (t == "cuda")
        {
            index = 0;
        }
        else if (!(t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out index) && index >= 0))
        {
            throw new ArgumentException($"Unknown device '{text}'. Use cpu, cuda or cuda:N.", nameof(text));
        }

        if (!cuda.is_available())
        {
            throw new ArgumentException(
                $"Device '{text}' needs CUDA, but the loaded libtorch is the CPU build or sees no GPU. Build with -p:KtoTorchRuntime=cuda " +
                "(TorchSharp-cuda-linux) on a machine with an NVIDIA driver, or use the cpu device.", nameof(text));
        }

        var count = cuda.device_count();
        if (index >= count)
        {
            throw new ArgumentException($"Device '{text}' does not exist: libtorch sees {count} CUDA device(s), cuda:0 to cuda:{count - 1}.", nameof(text));
        }

        return new Device(DeviceType.CUDA, index);
    }

    /// <summary>Checks the spelling of a device without touching libtorch (for option validation).</summary>
    public static bool IsDeviceName(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        return t is "cpu" or "cuda" || (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var i) && i >= 0);
    }
}
