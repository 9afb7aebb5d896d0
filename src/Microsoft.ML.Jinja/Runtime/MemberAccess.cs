using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>
/// The sandboxed environment's <c>getattr</c>/<c>getitem</c>: <c>x.name</c> prefers a Python attribute
/// and falls back to the item, <c>x[key]</c> the reverse. So <c>msg.content</c> reads the dict key, while
/// <c>msg.items</c> is the dict method.
/// </summary>
internal static class MemberAccess
{
    public static Value GetAttribute(Value target, string name) => GetAttribute(target, new StringValue(name));

    /// <summary><c>target.name</c> with the name already as a key, so parsed templates do not allocate it per lookup.</summary>
    public static Value GetAttribute(Value target, StringValue name)
    {
        if (target is UndefinedValue undefined)
        {
            throw undefined.Error();
        }

        if (target.TryGetMember(name.Value, out var member))
        {
            return member;
        }

        return target.TryGetItem(name, out var item) ? item : UndefinedValue.Member(target, name);
    }

    public static Value GetItem(Value target, Value key)
    {
        if (target is UndefinedValue undefined)
        {
            throw undefined.Error();
        }

        if (target.TryGetItem(key, out var item))
        {
            return item;
        }

        if (key is StringValue name && target.TryGetMember(name.Value, out var member))
        {
            return member;
        }

        return UndefinedValue.Member(target, key);
    }

    /// <summary>jinja2's attribute paths (<c>"function.name"</c>, <c>"0"</c>) used by map/selectattr/sort.</summary>
    public static Value GetPath(Value target, Value path)
    {
        if (path is not StringValue text)
        {
            return GetItem(target, path);
        }

        foreach (var part in text.Value.Split('.'))
        {
            Value key = part.Length > 0 && part.All(char.IsAsciiDigit) ? IntegerValue.Of(long.Parse(part, System.Globalization.CultureInfo.InvariantCulture)) : new StringValue(part);
            target = GetItem(target, key);
        }

        return target;
    }

    /// <summary>What the immutable sandbox hands out for a method that would mutate its receiver.</summary>
    public static Value Unsafe(Value target, string name) =>
        UndefinedValue.WithHint($"access to attribute '{name}' of '{target.TypeName}' object is unsafe.");
}
