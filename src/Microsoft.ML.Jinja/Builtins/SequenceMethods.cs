using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>
/// The <c>list</c>/<c>tuple</c> methods. jinja2's immutable sandbox refuses <c>append</c>, <c>extend</c>, <c>insert</c>,
/// <c>remove</c>, <c>reverse</c> and <c>sort</c>, but (as of jinja2 3.1) not <c>pop</c> or <c>clear</c>.
/// </summary>
internal static class SequenceMethods
{
    private static readonly MethodTable<SequenceValue> Table = new(
        new Dictionary<string, Func<SequenceValue, Arguments, Value>>
        {
            ["index"] = Index,
            ["count"] = (s, a) => IntegerValue.Of(s.Items.Count(item => item.Equals(Needle(a, "count")))),
        },
        new HashSet<string>());

    private static readonly MethodTable<ListValue> ListTable = new(
        new Dictionary<string, Func<ListValue, Arguments, Value>>
        {
            ["pop"] = (l, a) => l.Pop(ArgumentConversions.Integer(a.Bind("pop", "index")[0], -1)),
            ["clear"] = (l, a) =>
            {
                a.Bind("clear");
                l.Clear();
                return NoneValue.Instance;
            },
        },
        new HashSet<string> { "append", "extend", "insert", "remove", "reverse", "sort" });

    public static bool TryBind(SequenceValue receiver, string name, out Value member) =>
        (receiver is ListValue list && ListTable.TryBind(list, name, out member)) || Table.TryBind(receiver, name, out member);

    private static Value Needle(Arguments a, string name) =>
        a.Bind(name, "value")[0] ?? throw new TemplateException($"{name}() takes exactly one argument (0 given)");

    private static Value Index(SequenceValue s, Arguments a)
    {
        var needle = Needle(a, "index");
        for (var i = 0; i < s.Items.Count; i++)
        {
            if (s.Items[i].Equals(needle))
            {
                return IntegerValue.Of(i);
            }
        }

        throw new TemplateException($"{needle.ToRepr()} is not in {s.TypeName}");
    }
}
