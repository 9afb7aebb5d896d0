using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>
/// The read-only <c>dict</c> methods. Because attributes win over keys in <c>d.name</c>, a message key called
/// <c>items</c> or <c>get</c> is only reachable as <c>d['items']</c>, exactly as in jinja2.
/// </summary>
internal static class DictMethods
{
    private static readonly MethodTable<DictValue> Table = new(
        new Dictionary<string, Func<DictValue, Arguments, Value>>
        {
            ["items"] = (d, a) => View(a, "items", "dict_items", d.Entries.Select(e => (Value)new TupleValue([e.Key, e.Value]))),
            ["keys"] = (d, a) => View(a, "keys", "dict_keys", d.Entries.Select(e => e.Key)),
            ["values"] = (d, a) => View(a, "values", "dict_values", d.Entries.Select(e => e.Value)),
            ["get"] = Get,
        },
        new HashSet<string> { "clear", "pop", "popitem", "setdefault", "update" });

    public static bool TryBind(DictValue receiver, string name, out Value member) => Table.TryBind(receiver, name, out member);

    private static Value View(Arguments a, string name, string typeName, IEnumerable<Value> items)
    {
        a.Bind(name);
        return new DictViewValue(typeName, [.. items]);
    }

    private static Value Get(DictValue d, Arguments a)
    {
        var bound = a.Bind("get", "key", "default");
        var key = bound[0] ?? throw new TemplateException("get expected at least 1 argument, got 0");
        return d.GetOrDefault(key, bound[1] ?? NoneValue.Instance);
    }
}
