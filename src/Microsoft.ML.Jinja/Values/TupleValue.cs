namespace Microsoft.ML.Jinja.Values;

/// <summary>Python <c>tuple</c>: tuple literals, <c>dict.items()</c> pairs, <c>tojson</c> separators.</summary>
internal sealed class TupleValue(IReadOnlyList<Value> items) : SequenceValue
{
    public override IReadOnlyList<Value> Items { get; } = items;

    public override string TypeName => "tuple";

    public override string ToRepr() => Items.Count == 1 ? $"({Items[0].ToRepr()},)" : JoinRepr("(", ")");

    public override SequenceValue WithItems(IReadOnlyList<Value> newItems) => new TupleValue(newItems);
}
