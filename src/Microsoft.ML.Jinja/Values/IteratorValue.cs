namespace Microsoft.ML.Jinja.Values;

/// <summary>
/// A Python generator or iterator, what filters like <c>map</c>, <c>select</c> and <c>reverse</c> return:
/// always truthy, unsized, and consumed by the first iteration (a second pass continues where it stopped).
/// </summary>
internal sealed class IteratorValue(string typeName, IEnumerable<Value> source) : Value
{
    private IEnumerator<Value>? _enumerator;

    public override string TypeName { get; } = typeName;

    public override bool IsIterable => true;

    public override string ToRepr() => $"<{TypeName} object>";

    public override IEnumerable<Value> Iterate()
    {
        _enumerator ??= source.GetEnumerator();
        while (_enumerator.MoveNext())
        {
            yield return _enumerator.Current;
        }
    }
}
