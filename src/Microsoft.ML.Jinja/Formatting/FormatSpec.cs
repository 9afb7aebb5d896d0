using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Formatting;

/// <summary>
/// The common subset of Python's format-spec mini-language (<c>[[fill]align][sign][0][width][.precision][type]</c>),
/// shared by <c>str.format</c> and <c>%</c>-formatting.
/// </summary>
internal static partial class FormatSpec
{
    [GeneratedRegex(@"^(?:(?<fill>.)?(?<align>[<>^=]))?(?<sign>[-+ ])?(?<zero>0)?(?<width>\d+)?(?:\.(?<precision>\d+))?(?<type>[sdfFeEgGxXoc%r]?)$", RegexOptions.Singleline)]
    private static partial Regex SpecPattern();

    public static string Apply(Value value, string spec)
    {
        var match = SpecPattern().Match(spec);
        if (!match.Success)
        {
            throw new TemplateException($"Invalid format specifier '{spec}' for object of type '{value.TypeName}'");
        }

        int? precision = match.Groups["precision"].Success ? Size(match.Groups["precision"].Value, "precision") : null;
        var type = match.Groups["type"].Value;
        var text = FormatValue(value, type, precision, match.Groups["sign"].Value);
        var width = match.Groups["width"].Success ? Size(match.Groups["width"].Value, "width") : 0;
        var numeric = NumberValue.IsNumber(value) && type != "s";
        var zeroPad = match.Groups["zero"].Success && !match.Groups["align"].Success;
        var fill = zeroPad ? '0' : match.Groups["fill"].Success ? match.Groups["fill"].Value[0] : ' ';
        var align = zeroPad ? "=" : match.Groups["align"].Success ? match.Groups["align"].Value : numeric ? ">" : "<";
        return Pad(text, width, fill, align);
    }

    // A width or precision sizes the string built; like any template string it stays within the render limit. Digits
    // beyond long's range are over the limit too.
    private static int Size(string digits, string what) =>
        ArgumentConversions.WithinStringLimit(
            long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : long.MaxValue, $"format {what}");

    private static string FormatValue(Value value, string type, int? precision, string sign)
    {
        var text = type switch
        {
            "" or "s" when value is not FloatValue || precision is null => Truncate(value.ToDisplayString(), type == "s" ? precision : null),
            "r" => value.ToRepr(),
            "d" => NumberValue.TryGetInteger(value, out var i) ? i.ToString(CultureInfo.InvariantCulture) : throw Unsupported(type, value),
            "x" or "X" or "o" => Radix(value, type),
            "c" => NumberValue.TryGetInteger(value, out var code) ? char.ConvertFromUtf32((int)code) : value.ToDisplayString(),
            "%" => Fixed(value, precision ?? 6, 100) + "%",
            "e" or "E" => Scientific(Number(value), type, precision ?? 6),
            "g" or "G" or "" => General(Number(value), type, precision ?? 6),
            _ => Fixed(value, precision ?? 6, 1),
        };
        return sign is "+" or " " && NumberValue.IsNumber(value) && !text.StartsWith('-') ? sign + text : text;
    }

    /// <summary>.NET pads exponents to three digits; Python uses at least two (<c>1.5e+03</c>).</summary>
    private static string Scientific(double number, string type, int precision)
    {
        var text = number.ToString(type + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var mark = text.IndexOfAny(['e', 'E']);
        var exponent = int.Parse(text[(mark + 1)..], CultureInfo.InvariantCulture);
        return $"{text[..(mark + 1)]}{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    /// <summary>Approximates Python's <c>g</c> with .NET's <c>G</c>, which agrees for the common magnitudes.</summary>
    private static string General(double number, string type, int precision)
    {
        var text = number.ToString("G" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return type == "G" ? text : text.ToLowerInvariant();
    }

    private static string Fixed(Value value, int precision, double scale) =>
        (Number(value) * scale).ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Radix(Value value, string type)
    {
        if (!NumberValue.TryGetInteger(value, out var i))
        {
            throw Unsupported(type, value);
        }

        var magnitude = Math.Abs(i);
        var digits = type == "o" ? Convert.ToString(magnitude, 8) : magnitude.ToString(type == "x" ? "x" : "X", CultureInfo.InvariantCulture);
        return (i < 0 ? "-" : string.Empty) + digits;
    }

    private static double Number(Value value) =>
        NumberValue.TryGetDouble(value, out var d) ? d : throw new TemplateException($"must be real number, not {value.TypeName}");

    private static TemplateException Unsupported(string type, Value value) =>
        new($"Unknown format code '{type}' for object of type '{value.TypeName}'");

    private static string Truncate(string text, int? precision) =>
        precision is { } p && p < text.Length ? text[..p] : text;

    private static string Pad(string text, int width, char fill, string align)
    {
        var padding = width - text.Length;
        if (padding <= 0)
        {
            return text;
        }

        return align switch
        {
            "<" => text + new string(fill, padding),
            "^" => new string(fill, padding / 2) + text + new string(fill, padding - (padding / 2)),
            "=" when text.StartsWith('-') || text.StartsWith('+') => text[0] + new string(fill, padding) + text[1..],
            _ => new string(fill, padding) + text,
        };
    }
}
