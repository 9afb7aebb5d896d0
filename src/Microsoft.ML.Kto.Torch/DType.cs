namespace Microsoft.ML.Kto.Torch;

/// <summary>Element types; the values are libtorch's <c>c10::ScalarType</c> numbers.</summary>
public enum DType
{
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 0,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 3,
    /// <summary>64-bit signed integer (token ids, indices).</summary>
    Int64 = 4,
    /// <summary>IEEE half precision.</summary>
    Float16 = 5,
    /// <summary>IEEE single precision.</summary>
    Float32 = 6,
    /// <summary>IEEE double precision.</summary>
    Float64 = 7,
    /// <summary>Boolean.</summary>
    Bool = 11,
    /// <summary>Brain floating point (8-bit exponent, 7-bit mantissa).</summary>
    BFloat16 = 15,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => 1,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float16 or DType.BFloat16 or DType.Float32 or DType.Float64;

    /// <summary>Parses names as Hugging Face configs and users write them: float32/fp32/bfloat16/bf16/float16/fp16/half/float64.</summary>
    public static DType Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "float" => DType.Float32,
        "bfloat16" or "bf16" => DType.BFloat16,
        "float16" or "fp16" or "half" => DType.Float16,
        "float64" or "fp64" or "double" => DType.Float64,
        _ => throw new ArgumentException($"Unknown dtype '{name}'. Use float32, bfloat16, float16 or float64.", nameof(name)),
    };

    /// <summary>The Hugging Face spelling (torch_dtype in config.json).</summary>
    public static string ToHuggingFaceName(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.BFloat16 => "bfloat16",
        DType.Float16 => "float16",
        DType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a floating-point model dtype"),
    };
}
