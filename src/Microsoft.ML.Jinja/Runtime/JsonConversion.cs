using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>Converts JSON input to template values the way Python's <c>json.loads</c> would type it.</summary>
internal static class JsonConversion
{
    public static Value ToValue(JsonNode? node) => node switch
    {
        null => NoneValue.Instance,
        JsonObject obj => new DictValue(obj.Select(p => new KeyValuePair<Value, Value>(new StringValue(p.Key), ToValue(p.Value)))),
        JsonArray array => new ListValue(array.Select(ToValue).ToArray()),
        JsonValue value => ToScalar(value),
        _ => throw new ArgumentException($"unsupported JSON node {node.GetType().Name}", nameof(node)),
    };

    private static Value ToScalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new StringValue(value.GetValue<string>());
            case JsonValueKind.True:
                return BooleanValue.True;
            case JsonValueKind.False:
                return BooleanValue.False;
            case JsonValueKind.Null:
                return NoneValue.Instance;
            case JsonValueKind.Number:
                return ToNumber(value);
            default:
                throw new ArgumentException($"unsupported JSON value kind {value.GetValueKind()}", nameof(value));
        }
    }

    /// <summary>
    /// Parsed JSON keeps its source text, so <c>1.0</c> stays a float as in Python. Values built from .NET
    /// numbers are typed by their .NET type, because their serialized text would print <c>1.0</c> as <c>1</c>.
    /// </summary>
    private static Value ToNumber(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            var text = element.GetRawText();
            return text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? IntegerValue.Of(integer)
                : new FloatValue(element.GetDouble());
        }

        if (value.TryGetValue<double>(out var d))
        {
            return new FloatValue(d);
        }

        if (value.TryGetValue<float>(out var f))
        {
            return new FloatValue(f);
        }

        if (value.TryGetValue<decimal>(out var m))
        {
            return new FloatValue((double)m);
        }

        // Every remaining .NET number type is integral.
        var integral = value.ToJsonString();
        return long.TryParse(integral, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? IntegerValue.Of(l)
            : new FloatValue(double.Parse(integral, CultureInfo.InvariantCulture));
    }
}
