using Microsoft.ML.Jinja.Formatting;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>
/// Global functions: jinja2's <c>range</c>, <c>dict</c>, <c>namespace</c>, plus the ones transformers registers
/// for chat templates, <c>raise_exception</c> and <c>strftime_now</c>.
/// </summary>
internal static class Globals
{
    /// <summary>The immutable sandbox's <c>MAX_RANGE</c>.</summary>
    private const int MaxRange = 100000;

    private static readonly Dictionary<string, Value> Registry = new(StringComparer.Ordinal)
    {
        ["range"] = new BuiltinFunctionValue("range", (a, _) => Range(a)),
        ["dict"] = new BuiltinFunctionValue("dict", (a, _) => new DictValue(a.KeywordPairs())),
        ["namespace"] = new BuiltinFunctionValue("namespace", (a, _) => Namespace(a)),
        ["raise_exception"] = new BuiltinFunctionValue("raise_exception", (a, _) => throw new TemplateException(Message(a))),
        ["strftime_now"] = new BuiltinFunctionValue("strftime_now", (a, _) => StrftimeNow(a)),
    };

    public static bool TryGet(string name, out Value value) => Registry.TryGetValue(name, out value!);

    private static string Message(Arguments arguments) =>
        arguments.Bind("raise_exception", "message")[0]?.ToDisplayString() ?? throw new TemplateException("raise_exception() missing required argument 'message'");

    private static Value StrftimeNow(Arguments arguments)
    {
        var format = ArgumentConversions.RequiredString(arguments.Bind("strftime_now", "format")[0], "strftime_now", "format");
        return new StringValue(Strftime.Format(DateTime.Now, format));
    }

    private static Value Range(Arguments arguments)
    {
        var bound = arguments.Bind("range", "start", "stop", "step");
        var (start, stop) = bound[1] is null ? (0L, Integer(bound[0])) : (Integer(bound[0]), Integer(bound[1]));
        var step = bound[2] is null ? 1L : Integer(bound[2]);
        if (step == 0)
        {
            throw new TemplateException("range() arg 3 must not be zero");
        }

        var count = Math.Max(0, step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step);
        if (count > MaxRange)
        {
            throw new TemplateException($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        }

        var items = new Value[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = IntegerValue.Of(start + (i * step));
        }

        return new ListValue(items);
    }

    private static long Integer(Value? value) =>
        value is not null && NumberValue.TryGetInteger(value, out var i)
            ? i
            : throw new TemplateException($"'{value?.TypeName}' object cannot be interpreted as an integer");

    /// <summary><c>namespace(mapping?, **attributes)</c>.</summary>
    private static Value Namespace(Arguments arguments)
    {
        var attributes = new List<KeyValuePair<string, Value>>();
        foreach (var positional in arguments.Positional)
        {
            var dict = positional as DictValue ?? throw new TemplateException($"'{positional.TypeName}' object is not a mapping");
            attributes.AddRange(dict.Entries.Select(e => new KeyValuePair<string, Value>(e.Key.ToDisplayString(), e.Value)));
        }

        attributes.AddRange(arguments.Keywords);
        var deduplicated = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            deduplicated[name] = value;
        }

        return new NamespaceValue(deduplicated);
    }
}
