using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Formatting;

/// <summary>Python's <c>"..." % args</c> (also the <c>format</c> filter), for the common conversions.</summary>
internal static partial class PercentFormat
{
    [GeneratedRegex(@"%(?:\((?<key>[^)]*)\))?(?<flags>[-+ 0#]*)(?<width>\d+)?(?:\.(?<precision>\d+))?(?<type>[sridfFeEgGxXoc%])")]
    private static partial Regex DirectivePattern();

    public static string Apply(string format, Value arguments)
    {
        var positional = arguments is TupleValue tuple ? tuple.Items : [arguments];
        var next = 0;
        var builder = new StringBuilder();
        var last = 0;
        foreach (Match match in DirectivePattern().Matches(format))
        {
            builder.Append(format, last, match.Index - last);
            last = match.Index + match.Length;
            var type = match.Groups["type"].Value;
            if (type == "%")
            {
                builder.Append('%');
                continue;
            }

            Value value;
            if (match.Groups["key"].Success)
            {
                value = MemberAccess.GetItem(arguments, new StringValue(match.Groups["key"].Value));
            }
            else if (next < positional.Count)
            {
                value = positional[next++];
            }
            else
            {
                throw new TemplateException("not enough arguments for format string");
            }

            builder.Append(FormatSpec.Apply(value, Spec(match, type)));
        }

        if (arguments is not DictValue && next < positional.Count)
        {
            throw new TemplateException("not all arguments converted during string formatting");
        }

        return builder.Append(format, last, format.Length - last).ToString();
    }

    /// <summary>Translates a printf directive into the equivalent format spec.</summary>
    private static string Spec(Match match, string type)
    {
        var flags = match.Groups["flags"].Value;
        var align = flags.Contains('-') ? "<" : string.Empty;
        var sign = flags.Contains('+') ? "+" : flags.Contains(' ') ? " " : string.Empty;
        var zero = flags.Contains('0') && align.Length == 0 ? "0" : string.Empty;
        var precision = match.Groups["precision"].Success ? "." + match.Groups["precision"].Value : string.Empty;
        var specType = type switch
        {
            "i" or "u" => "d",
            "s" => "s",
            _ => type,
        };
        return $"{align}{sign}{zero}{match.Groups["width"].Value}{precision}{specType}";
    }
}
