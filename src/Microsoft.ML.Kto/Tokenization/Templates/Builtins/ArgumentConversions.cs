using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Builtins;

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

    public static bool Boolean(Value? value, bool fallback) => value?.IsTruthy ?? fallback;
}
