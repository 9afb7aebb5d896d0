using System.Globalization;
using Microsoft.ML.Jinja.Formatting;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;
using static Microsoft.ML.Jinja.Builtins.ArgumentConversions;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>Numeric filters with Python's conversions (<c>"42.23"|int</c> is 42, bad input falls back to the default).</summary>
internal static class NumberFilters
{
    public static void Register(Dictionary<string, FilterFunction> registry)
    {
        registry["int"] = ToInteger;
        registry["float"] = ToFloat;
        registry["abs"] = Absolute;
        registry["round"] = Round;
    }

    private static Value ToInteger(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("int", "default", "base");
        var fallback = bound[0] ?? IntegerValue.Of(0);
        var numberBase = Int32(bound[1], 10);
        return value switch
        {
            UndefinedValue u => throw u.Error(),
            _ when NumberValue.TryGetInteger(value, out var i) => IntegerValue.Of(i),
            FloatValue f => double.IsFinite(f.Value) ? IntegerValue.Of((long)Math.Truncate(f.Value)) : fallback,
            StringValue s => ParseInteger(s.Value, numberBase) is { } parsed ? IntegerValue.Of(parsed)
                : ParseFloat(s.Value) is { } real && double.IsFinite(real) ? IntegerValue.Of((long)Math.Truncate(real)) : fallback,
            _ => fallback,
        };
    }

    private static Value ToFloat(Value value, Arguments arguments, RenderContext context)
    {
        var fallback = arguments.Bind("float", "default")[0] ?? new FloatValue(0);
        return value switch
        {
            UndefinedValue u => throw u.Error(),
            _ when NumberValue.TryGetDouble(value, out var d) => new FloatValue(d),
            StringValue s => ParseFloat(s.Value) is { } parsed ? new FloatValue(parsed) : fallback,
            _ => fallback,
        };
    }

    private static Value Absolute(Value value, Arguments arguments, RenderContext context)
    {
        arguments.Bind("abs");
        return value switch
        {
            _ when NumberValue.TryGetInteger(value, out var i) => i == long.MinValue ? throw TemplateErrors.Overflow() : IntegerValue.Of(Math.Abs(i)),
            FloatValue f => new FloatValue(Math.Abs(f.Value)),
            _ => throw new TemplateException($"bad operand type for abs(): '{value.TypeName}'"),
        };
    }

    private static Value Round(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("round", "precision", "method");
        var precision = Int32(bound[0], 0);
        var method = (bound[1] as StringValue)?.Value ?? "common";
        if (method is not ("common" or "ceil" or "floor"))
        {
            throw new TemplateException("method must be common, ceil or floor");
        }

        if (method == "common" && NumberValue.TryGetInteger(value, out var integer))
        {
            // Python's round() keeps ints as ints.
            return IntegerValue.Of(precision >= 0 ? integer : (long)PythonFloat.Round(integer, precision));
        }

        if (!NumberValue.TryGetDouble(value, out var number))
        {
            throw new TemplateException($"type {value.TypeName} doesn't define __round__ method");
        }

        var scale = Math.Pow(10, precision);
        return new FloatValue(method switch
        {
            "ceil" => Math.Ceiling(number * scale) / scale,
            "floor" => Math.Floor(number * scale) / scale,
            _ => PythonFloat.Round(number, precision),
        });
    }

    /// <summary>Python's <c>int(text, base)</c>: surrounding whitespace, a sign, underscores between digits.</summary>
    private static long? ParseInteger(string text, int numberBase)
    {
        var trimmed = PythonText.Strip(text, null, left: true, right: true).Replace("_", string.Empty, StringComparison.Ordinal);
        if (numberBase == 10)
        {
            return long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result) ? result : null;
        }

        try
        {
            var negative = trimmed.StartsWith('-');
            var digits = trimmed.TrimStart('+', '-');
            var prefix = numberBase switch { 16 => "0x", 8 => "0o", 2 => "0b", _ => null };
            if (prefix is not null && digits.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                digits = digits[2..];
            }

            var parsed = Convert.ToInt64(digits, numberBase);
            return negative ? -parsed : parsed;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Python's <c>float(text)</c>, including <c>inf</c>/<c>nan</c> spellings.</summary>
    private static double? ParseFloat(string text)
    {
        var trimmed = PythonText.Strip(text, null, left: true, right: true).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        var unsigned = trimmed.TrimStart('+', '-');
        var negative = trimmed.StartsWith('-');
        if (unsigned is "inf" or "infinity")
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (unsigned == "nan")
        {
            return double.NaN;
        }

        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var result) ? result : null;
    }
}
