using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Jinja.Formatting;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;
using static Microsoft.ML.Jinja.Builtins.ArgumentConversions;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>String filters. jinja2 applies them to <c>str(value)</c>, so undefined input renders as empty text.</summary>
internal static partial class TextFilters
{
    [GeneratedRegex(@"([-\s({\[<]+)")]
    private static partial Regex WordBeginning();

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();

    public static void Register(Dictionary<string, FilterFunction> registry)
    {
        registry["trim"] = Trim;
        registry["upper"] = (v, a, _) => Text(v, a, "upper", s => s.ToUpperInvariant());
        registry["lower"] = (v, a, _) => Text(v, a, "lower", s => s.ToLowerInvariant());
        registry["capitalize"] = (v, a, _) => Text(v, a, "capitalize", PythonText.Capitalize);
        registry["title"] = (v, a, _) => Text(v, a, "title", Title);
        registry["string"] = (v, a, _) => Text(v, a, "string", s => s);
        registry["safe"] = (v, a, _) => Text(v, a, "safe", s => s);
        registry["escape"] = (v, a, _) => Text(v, a, "escape", Escape);
        registry["e"] = registry["escape"];
        registry["replace"] = Replace;
        registry["indent"] = Indent;
        registry["center"] = Center;
        registry["wordcount"] = (v, a, _) => IntegerValue.Of(Word().Count(Soft(v)));
        registry["format"] = Format;
    }

    private static string Soft(Value value) => value.ToDisplayString();

    private static Value Text(Value value, Arguments arguments, string name, Func<string, string> transform)
    {
        arguments.Bind(name);
        return new StringValue(transform(Soft(value)));
    }

    private static Value Trim(Value value, Arguments arguments, RenderContext context)
    {
        var chars = OptionalString(arguments.Bind("trim", "chars")[0], "strip");
        return new StringValue(PythonText.Strip(Soft(value), chars, left: true, right: true));
    }

    /// <summary>jinja2's <c>title</c> filter, which (unlike <c>str.title</c>) starts words only after spaces, dashes and brackets.</summary>
    private static string Title(string text) =>
        string.Concat(WordBeginning().Split(text).Where(part => part.Length > 0)
            .Select(part => char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()));

    /// <summary>markupsafe's escaping; transformers renders without autoescape, so the result is plain text.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal)
            .Replace("\"", "&#34;", StringComparison.Ordinal);

    private static Value Replace(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("replace", "old", "new", "count");
        var old = (bound[0] ?? throw new TemplateException("replace() missing required argument 'old'")).ToDisplayString();
        var replacement = (bound[1] ?? throw new TemplateException("replace() missing required argument 'new'")).ToDisplayString();
        return new StringValue(StringMethods.ReplaceCount(Soft(value), old, replacement, Integer(bound[2], -1)));
    }

    private static Value Indent(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("indent", "width", "first", "blank");
        var indentation = bound[0] is StringValue s ? s.Value : new string(' ', Size(bound[0], 4, "indent width"));
        var first = Boolean(bound[1], false);
        var blank = Boolean(bound[2], false);

        // jinja2 appends a newline before splitlines so a trailing newline survives.
        var lines = PythonText.SplitLines(Soft(value) + "\n", keepEnds: false);
        var builder = new StringBuilder(lines[0]);
        for (var i = 1; i < lines.Count; i++)
        {
            builder.Append('\n');
            if (blank || lines[i].Length > 0)
            {
                builder.Append(indentation);
            }

            builder.Append(lines[i]);
        }

        return new StringValue(first ? indentation + builder : builder.ToString());
    }

    private static Value Center(Value value, Arguments arguments, RenderContext context)
    {
        var text = Soft(value);
        var width = Size(arguments.Bind("center", "width")[0], 80, "center width");
        var padding = width - text.Length;
        if (padding <= 0)
        {
            return new StringValue(text);
        }

        // CPython puts the odd extra space on the left when the width is odd.
        var left = (padding / 2) + (padding & width & 1);
        return new StringValue(new string(' ', left) + text + new string(' ', padding - left));
    }

    private static Value Format(Value value, Arguments arguments, RenderContext context)
    {
        if (arguments.Positional.Count > 0 && arguments.Keywords.Count > 0)
        {
            throw new TemplateException("can't handle positional and keyword arguments at the same time");
        }

        Value formatArguments = arguments.Keywords.Count > 0
            ? new DictValue(arguments.KeywordPairs())
            : new TupleValue(arguments.Positional);
        return new StringValue(PercentFormat.Apply(Soft(value), formatArguments));
    }
}
