namespace Microsoft.ML.Kto.Torch.Safetensors;

/// <summary>One tensor's header entry: dtype, shape and byte range relative to the start of the data section.</summary>
public sealed record SafetensorsEntry(string Name, DType DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    internal static DType ParseDType(string code) => code switch
    {
        "F32" => DType.Float32,
        "F16" => DType.Float16,
        "BF16" => DType.BFloat16,
        "F64" => DType.Float64,
        "I64" => DType.Int64,
        "I32" => DType.Int32,
        "U8" => DType.UInt8,
        "BOOL" => DType.Bool,
        _ => throw new FormatException($"unsupported dtype '{code}' (supported: F32, F16, BF16, F64, I64, I32, U8, BOOL)"),
    };

    internal static string DTypeCode(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no safetensors code"),
    };
}
