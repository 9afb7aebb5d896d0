using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>Reads bound arguments as the Python types built-ins expect, with Python's defaults and TypeErrors.</summary>
internal static class ArgumentConversions
{
    public static string? OptionalString(Value? value, string function) => value switch
    {
        null or NoneValue => null,
        StringValue s => s.Value,
        _ => throw new TemplateException($"{function} arg must be None or str"),
    };

    public static string RequiredString(Value? value, string function, string parameter) => value switch
    {
        StringValue s => s.Value,
        null => throw new TemplateException($"{function}() missing required argument '{parameter}'"),
        _ => throw new TemplateException($"{function}() argument must be str, not {value.TypeName}"),
    };

    public static long Integer(Value? value, long fallback) => value switch
    {
        null or NoneValue => fallback,
        _ when NumberValue.TryGetInteger(value, out var i) => i,
        _ => throw new TemplateException($"'{value.TypeName}' object cannot be interpreted as an integer"),
    };

    /// <summary>An integer argument that .NET needs as an <c>int</c>; Python's OverflowError beyond that range.</summary>
    public static int Int32(Value? value, int fallback) =>
        Integer(value, fallback) is var i && i is >= int.MinValue and <= int.MaxValue
            ? (int)i
            : throw new TemplateException("Python int too large to convert to C int");

    /// <summary>
    /// A count of characters to build (an indent or a width): negative counts as 0, as Python's <c>' ' * n</c>; beyond
    /// <see cref="RenderContext.MaxStringLength"/> it is the template limit, checked before allocating.
    /// </summary>
    public static int Size(Value? value, int fallback, string what) => WithinStringLimit(Math.Max(0, Integer(value, fallback)), what);

    /// <summary>A size of a string to build, checked against <see cref="RenderContext.MaxStringLength"/> before building it.</summary>
    public static int WithinStringLimit(long size, string what) =>
        size <= RenderContext.MaxStringLength
            ? (int)size
            : throw new TemplateException($"{what} {size} exceeds the template limit of {RenderContext.MaxStringLength:N0} characters");

    public static bool Boolean(Value? value, bool fallback) => value?.IsTruthy ?? fallback;
}
