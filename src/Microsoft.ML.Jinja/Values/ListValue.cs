using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>
/// Python <c>list</c> (JSON arrays, list literals, filter results). jinja2's immutable sandbox still allows
/// <c>pop</c> and <c>clear</c> on lists, so a list copies its items on the first such call and mutates the copy.
/// </summary>
internal sealed class ListValue(IReadOnlyList<Value> items) : SequenceValue
{
    private IReadOnlyList<Value> _items = items;
    private List<Value>? _owned;

    public override IReadOnlyList<Value> Items => _items;

    public override string TypeName => "list";

    public override string ToRepr() => JoinRepr("[", "]");

    public override SequenceValue WithItems(IReadOnlyList<Value> newItems) => new ListValue(newItems);

    public override int GetHashCode() => throw TemplateErrors.Unhashable(this);

    /// <summary>Python's <c>list.pop(index=-1)</c>.</summary>
    public Value Pop(long index)
    {
        if (_items.Count == 0)
        {
            throw new TemplateException("pop from empty list");
        }

        if (!SequenceIndex.TryNormalize(index, _items.Count, out var position))
        {
            throw new TemplateException("pop index out of range");
        }

        var list = Owned();
        var item = list[position];
        list.RemoveAt(position);
        return item;
    }

    public void Clear() => Owned().Clear();

    private List<Value> Owned()
    {
        if (_owned is null)
        {
            _owned = [.. _items];
            _items = _owned;
        }

        return _owned;
    }
}
