using Microsoft.ML.Jinja.Formatting;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>
/// transformers' replacement for jinja2's <c>tojson</c>:
/// <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)</c>,
/// which, unlike jinja2's own, does not HTML-escape and keeps non-ASCII text.
/// </summary>
internal static class JsonFilter
{
    public static Value ToJson(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        var options = JsonDumpOptions.Create(
            Indent(bound[1]),
            Separators(bound[2]),
            sortKeys: ArgumentConversions.Boolean(bound[3], false),
            ensureAscii: ArgumentConversions.Boolean(bound[0], false));
        return new StringValue(JsonDumper.Dumps(value, options));
    }

    /// <summary>Python's json: an int indent means that many spaces, a string is used verbatim.</summary>
    private static string? Indent(Value? indent) => indent switch
    {
        null or NoneValue => null,
        StringValue s => s.Value,
        _ => new string(' ', ArgumentConversions.Size(indent, 0, "tojson indent")),
    };

    private static (string, string)? Separators(Value? separators)
    {
        if (separators is null or NoneValue)
        {
            return null;
        }

        var parts = separators.Iterate().Select(p => p is StringValue s ? s.Value : throw new TemplateException("separators must be strings")).ToArray();
        return parts.Length == 2 ? (parts[0], parts[1]) : throw TemplateErrors.Unpack(2, parts.Length);
    }
}
