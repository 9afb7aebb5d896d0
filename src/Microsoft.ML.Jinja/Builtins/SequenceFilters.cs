using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;
using static Microsoft.ML.Jinja.Builtins.ArgumentConversions;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>Filters over iterables. Those jinja2 implements as generators return <see cref="IteratorValue"/>.</summary>
internal static class SequenceFilters
{
    public static void Register(Dictionary<string, FilterFunction> registry)
    {
        registry["length"] = Length;
        registry["count"] = Length;
        registry["first"] = First;
        registry["last"] = Last;
        registry["list"] = (v, a, _) => Bound(a, "list", new ListValue([.. v.Iterate()]));
        registry["reverse"] = Reverse;
        registry["sort"] = Sort;
        registry["unique"] = Unique;
        registry["join"] = Join;
        registry["items"] = Items;
        registry["dictsort"] = DictSort;
        registry["batch"] = Batch;
        registry["min"] = (v, a, _) => Extreme(v, a, "min", sign: -1);
        registry["max"] = (v, a, _) => Extreme(v, a, "max", sign: 1);
        registry["sum"] = Sum;
    }

    private static Value Bound(Arguments arguments, string name, Value result)
    {
        arguments.Bind(name);
        return result;
    }

    private static Value Length(Value value, Arguments arguments, RenderContext context)
    {
        arguments.Bind("length");
        return IntegerValue.Of(value.Length ?? throw TemplateErrors.NoLength(value));
    }

    private static Value First(Value value, Arguments arguments, RenderContext context)
    {
        arguments.Bind("first");
        foreach (var item in value.Iterate())
        {
            return item;
        }

        return UndefinedValue.WithHint("No first item, sequence was empty.");
    }

    private static Value Last(Value value, Arguments arguments, RenderContext context)
    {
        arguments.Bind("last");
        if (value is IteratorValue)
        {
            throw new TemplateException($"'{value.TypeName}' object is not reversible");
        }

        var items = value.Iterate().ToList();
        return items.Count > 0 ? items[^1] : UndefinedValue.WithHint("No last item, sequence was empty.");
    }

    private static Value Reverse(Value value, Arguments arguments, RenderContext context)
    {
        arguments.Bind("reverse");
        return value switch
        {
            StringValue s => new StringValue(PythonText.Reverse(s.Value)),
            IteratorValue => new ListValue([.. value.Iterate().Reverse()]),
            _ => new IteratorValue("list_reverseiterator", value.Iterate().Reverse().ToList()),
        };
    }

    /// <summary>The sort key jinja2 builds: attribute values (comma-separated paths allowed), lower-cased unless case-sensitive.</summary>
    private static Func<Value, Value> KeyFunction(Value? attribute, bool caseSensitive, bool allowMultiple)
    {
        var paths = attribute switch
        {
            null or NoneValue => [],
            StringValue s when allowMultiple => s.Value.Split(',').Select(p => (Value)new StringValue(p)).ToArray(),
            _ => new[] { attribute },
        };

        Value Fold(Value v) => !caseSensitive && v is StringValue s ? new StringValue(s.Value.ToLowerInvariant()) : v;

        if (!allowMultiple)
        {
            return item => Fold(paths.Length == 0 ? item : MemberAccess.GetPath(item, paths[0]));
        }

        return item => new ListValue(paths.Length == 0 ? [Fold(item)] : paths.Select(p => Fold(MemberAccess.GetPath(item, p))).ToArray());
    }

    private static readonly Comparer<Value> PythonOrder = Comparer<Value>.Create((a, b) => Comparison.Order("<", a, b));

    private static Value Sort(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("sort", "reverse", "case_sensitive", "attribute");
        var key = KeyFunction(bound[2], Boolean(bound[1], false), allowMultiple: true);
        var keyed = value.Iterate().Select(item => (Key: key(item), Item: item)).ToList();
        var sorted = Boolean(bound[0], false)
            ? keyed.OrderByDescending(k => k.Key, PythonOrder)
            : keyed.OrderBy(k => k.Key, PythonOrder);
        return new ListValue([.. sorted.Select(k => k.Item)]);
    }

    private static Value Unique(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("unique", "case_sensitive", "attribute");
        var key = KeyFunction(bound[1], Boolean(bound[0], false), allowMultiple: false);
        return new IteratorValue("generator", UniqueItems(value, key));
    }

    private static IEnumerable<Value> UniqueItems(Value value, Func<Value, Value> key)
    {
        var seen = new HashSet<Value>();
        foreach (var item in value.Iterate())
        {
            if (seen.Add(key(item)))
            {
                yield return item;
            }
        }
    }

    private static Value Join(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("join", "d", "attribute");
        var separator = bound[0]?.ToDisplayString() ?? string.Empty;
        var items = value.Iterate();
        if (bound[1] is { } attribute)
        {
            items = items.Select(item => MemberAccess.GetPath(item, attribute));
        }

        return new StringValue(string.Join(separator, items.Select(item => item.ToDisplayString())));
    }

    private static Value Items(Value value, Arguments arguments, RenderContext context)
    {
        arguments.Bind("items");
        return value switch
        {
            UndefinedValue => new IteratorValue("generator", []),
            DictValue dict => new IteratorValue("generator", dict.Entries.Select(e => (Value)new TupleValue([e.Key, e.Value]))),
            _ => throw new TemplateException("Can only get item pairs from a mapping."),
        };
    }

    private static Value DictSort(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("dictsort", "case_sensitive", "by", "reverse");
        var position = (bound[1] as StringValue)?.Value switch
        {
            null or "key" => 0,
            "value" => 1,
            _ => throw new TemplateException("You can only sort by either \"key\" or \"value\""),
        };
        var dict = value as DictValue ?? throw new TemplateException($"'{value.TypeName}' object has no attribute 'items'");
        var key = KeyFunction(null, Boolean(bound[0], false), allowMultiple: false);
        var pairs = dict.Entries.Select(e => (Key: key(position == 0 ? e.Key : e.Value), Pair: (Value)new TupleValue([e.Key, e.Value]))).ToList();
        var sorted = Boolean(bound[2], false) ? pairs.OrderByDescending(p => p.Key, PythonOrder) : pairs.OrderBy(p => p.Key, PythonOrder);
        return new ListValue([.. sorted.Select(p => p.Pair)]);
    }

    private static Value Batch(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("batch", "linecount", "fill_with");
        var size = Int32(bound[0] ?? throw new TemplateException("batch() missing required argument 'linecount'"), 0);
        var fill = bound[1] is NoneValue ? null : bound[1];
        return new IteratorValue("generator", value.Iterate().Chunk(Math.Max(1, size)).Select(chunk =>
            (Value)new ListValue(fill is not null && chunk.Length < size ? [.. chunk, .. Enumerable.Repeat(fill, size - chunk.Length)] : chunk)));
    }

    private static Value Extreme(Value value, Arguments arguments, string name, int sign)
    {
        var bound = arguments.Bind(name, "case_sensitive", "attribute");
        var key = KeyFunction(bound[1], Boolean(bound[0], false), allowMultiple: false);
        Value? best = null;
        Value? bestKey = null;
        foreach (var item in value.Iterate())
        {
            var itemKey = key(item);
            if (best is null || Math.Sign(Comparison.Order(sign > 0 ? ">" : "<", itemKey, bestKey!)) == sign)
            {
                best = item;
                bestKey = itemKey;
            }
        }

        return best ?? UndefinedValue.WithHint("No aggregated item, sequence was empty.");
    }

    private static Value Sum(Value value, Arguments arguments, RenderContext context)
    {
        var bound = arguments.Bind("sum", "attribute", "start");
        var total = bound[1] ?? IntegerValue.Of(0);
        foreach (var item in value.Iterate())
        {
            total = Arithmetic.Add(total, bound[0] is null or NoneValue ? item : MemberAccess.GetPath(item, bound[0]!));
        }

        return total;
    }
}
