using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>
/// Python <c>dict</c>: insertion-ordered, keys compared with Python equality (<c>1 == 1.0 == True</c>).
/// Built once and never mutated, which is all the immutable sandbox allows.
/// </summary>
internal sealed class DictValue : Value
{
    private readonly List<KeyValuePair<Value, Value>> _entries = [];
    private readonly Dictionary<Value, int> _positions = [];

    /// <summary>Later duplicates replace the value but keep the first position, like a Python dict literal.</summary>
    public DictValue(IEnumerable<KeyValuePair<Value, Value>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            if (_positions.TryGetValue(key, out var position))
            {
                _entries[position] = new(_entries[position].Key, value);
            }
            else
            {
                _positions.Add(key, _entries.Count);
                _entries.Add(new(key, value));
            }
        }
    }

    public IReadOnlyList<KeyValuePair<Value, Value>> Entries => _entries;

    public override string TypeName => "dict";

    public override bool IsTruthy => _entries.Count > 0;

    public override int? Length => _entries.Count;

    public override bool IsIterable => true;

    public override IEnumerable<Value> Iterate() => _entries.Select(e => e.Key);

    public override bool Contains(Value needle) => IsHashable(needle) ? _positions.ContainsKey(needle) : throw TemplateErrors.Unhashable(needle);

    public override string ToRepr() =>
        "{" + string.Join(", ", _entries.Select(e => $"{e.Key.ToRepr()}: {e.Value.ToRepr()}")) + "}";

    public override bool TryGetMember(string name, out Value member) => DictMethods.TryBind(this, name, out member);

    public override bool TryGetItem(Value key, out Value item)
    {
        if (IsHashable(key) && _positions.TryGetValue(key, out var position))
        {
            item = _entries[position].Value;
            return true;
        }

        item = null!;
        return false;
    }

    public Value GetOrDefault(Value key, Value fallback) => TryGetItem(key, out var item) ? item : fallback;

    public override bool Equals(object? obj) =>
        obj is DictValue other && other._entries.Count == _entries.Count
        && _entries.All(e => other.TryGetItem(e.Key, out var v) && v.Equals(e.Value));

    public override int GetHashCode() => throw TemplateErrors.Unhashable(this);

    private static bool IsHashable(Value key) => key is not (ListValue or DictValue);
}
