namespace Microsoft.ML.Jinja.Values;

/// <summary>The views <c>dict.items()</c>, <c>keys()</c> and <c>values()</c> return: re-iterable, sized, printed as <c>dict_items([...])</c>.</summary>
internal sealed class DictViewValue(string typeName, IReadOnlyList<Value> items) : Value
{
    public override string TypeName { get; } = typeName;

    public override bool IsTruthy => items.Count > 0;

    public override int? Length => items.Count;

    public override bool IsIterable => true;

    public override IEnumerable<Value> Iterate() => items;

    public override string ToRepr() => $"{TypeName}([{string.Join(", ", items.Select(i => i.ToRepr()))}])";
}
