using System.Globalization;
using System.Text;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Formatting;

/// <summary>Python's <c>json.dumps</c>, byte for byte: its separators, indentation, key coercion and escaping.</summary>
internal static class JsonDumper
{
    public static string Dumps(Value value, JsonDumpOptions options)
    {
        var builder = new StringBuilder();
        Write(builder, value, options, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, Value value, JsonDumpOptions options, int level)
    {
        switch (value)
        {
            case NoneValue:
                builder.Append("null");
                break;
            case BooleanValue b:
                builder.Append(b.Value ? "true" : "false");
                break;
            case IntegerValue i:
                builder.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case FloatValue f:
                builder.Append(FloatText(f.Value));
                break;
            case StringValue s:
                WriteString(builder, s.Value, options.EnsureAscii);
                break;
            case SequenceValue sequence:
                WriteContainer(builder, '[', ']', sequence.Items, options, level, (item, depth) => Write(builder, item, options, depth));
                break;
            case DictValue dict:
                WriteContainer(builder, '{', '}', Pairs(dict, options), options, level, (pair, depth) =>
                {
                    WriteString(builder, pair.Key, options.EnsureAscii);
                    builder.Append(options.KeySeparator);
                    Write(builder, pair.Value, options, depth);
                });
                break;
            default:
                throw TemplateErrors.NotJsonSerializable(value);
        }
    }

    private static void WriteContainer<T>(
        StringBuilder builder, char open, char close, IReadOnlyList<T> items, JsonDumpOptions options, int level, Action<T, int> writeItem)
    {
        if (items.Count == 0)
        {
            builder.Append(open).Append(close);
            return;
        }

        builder.Append(open);
        var separator = options.ItemSeparator;
        if (options.Indent is { } indent)
        {
            var newline = "\n" + string.Concat(Enumerable.Repeat(indent, level + 1));
            builder.Append(newline);
            separator += newline;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(separator);
            }

            writeItem(items[i], level + 1);
        }

        if (options.Indent is { } closingIndent)
        {
            builder.Append('\n').Append(string.Concat(Enumerable.Repeat(closingIndent, level)));
        }

        builder.Append(close);
    }

    /// <summary>JSON object keys: Python coerces numbers, booleans and None to text and rejects other types.</summary>
    private static IReadOnlyList<KeyValuePair<string, Value>> Pairs(DictValue dict, JsonDumpOptions options)
    {
        var entries = options.SortKeys
            ? dict.Entries.Order(Comparer<KeyValuePair<Value, Value>>.Create((a, b) => Comparison.Order("<", a.Key, b.Key)))
            : dict.Entries.AsEnumerable();
        return entries.Select(e => new KeyValuePair<string, Value>(KeyText(e.Key), e.Value)).ToList();
    }

    private static string KeyText(Value key) => key switch
    {
        StringValue s => s.Value,
        FloatValue f => FloatText(f.Value),
        BooleanValue b => b.Value ? "true" : "false",
        NoneValue => "null",
        IntegerValue i => i.Value.ToString(CultureInfo.InvariantCulture),
        _ => throw new TemplateException($"keys must be str, int, float, bool or None, not {key.TypeName}"),
    };

    private static string FloatText(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => PythonFloat.Repr(value),
    };

    private static void WriteString(StringBuilder builder, string text, bool ensureAscii)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                case '\b':
                    builder.Append(@"\b");
                    break;
                case '\f':
                    builder.Append(@"\f");
                    break;
                default:
                    if (c < 0x20 || (ensureAscii && c > 0x7E))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
