using Microsoft.ML.Jinja.Builtins;

namespace Microsoft.ML.Jinja.Values;

/// <summary>What Python's list and tuple share: indexing, slicing, membership and element-wise equality.</summary>
internal abstract class SequenceValue : Value
{
    public abstract IReadOnlyList<Value> Items { get; }

    public override bool IsTruthy => Items.Count > 0;

    public override int? Length => Items.Count;

    public override bool IsIterable => true;

    public override IEnumerable<Value> Iterate() => Items;

    public override bool Contains(Value needle)
    {
        foreach (var item in Items)
        {
            if (item.Equals(needle))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A sequence of the same kind (list or tuple) holding <paramref name="newItems"/>.</summary>
    public abstract SequenceValue WithItems(IReadOnlyList<Value> newItems);

    public override bool TryGetMember(string name, out Value member) => SequenceMethods.TryBind(this, name, out member);

    public override bool TryGetItem(Value key, out Value item)
    {
        if (key is SliceValue slice)
        {
            item = WithItems(slice.Resolve(Items.Count).Select(i => Items[i]).ToArray());
            return true;
        }

        if (NumberValue.TryGetInteger(key, out var index) && SequenceIndex.TryNormalize(index, Items.Count, out var position))
        {
            item = Items[position];
            return true;
        }

        item = null!;
        return false;
    }

    protected string JoinRepr(string open, string close) =>
        open + string.Join(", ", Items.Select(i => i.ToRepr())) + close;

    public override bool Equals(object? obj) =>
        obj is SequenceValue other && other.GetType() == GetType() && other.Items.SequenceEqual(Items);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}
