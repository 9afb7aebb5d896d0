using Microsoft.ML.Jinja.Formatting;

namespace Microsoft.ML.Jinja.Values;

/// <summary>jinja2's <c>namespace()</c>: the one mutable object templates get, so loops can carry state out via <c>set ns.x = ...</c>.</summary>
internal sealed class NamespaceValue(IEnumerable<KeyValuePair<string, Value>> attributes) : Value
{
    private readonly Dictionary<string, Value> _attributes = new(attributes);

    public override string TypeName => "Namespace";

    public override string ObjectTypeRepr => "jinja2.utils.Namespace object";

    public override string ToRepr() =>
        "<Namespace {" + string.Join(", ", _attributes.Select(a => $"{PythonRepr.QuoteString(a.Key)}: {a.Value.ToRepr()}")) + "}>";

    public override bool TryGetMember(string name, out Value member) => _attributes.TryGetValue(name, out member!);

    public void SetAttribute(string name, Value value) => _attributes[name] = value;
}
