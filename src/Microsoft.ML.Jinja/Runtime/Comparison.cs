using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>Python's rich comparisons. Equality never fails; ordering works only between compatible types.</summary>
internal static class Comparison
{
    public static bool Compare(string op, Value left, Value right) => op switch
    {
        "==" => left.Equals(right),
        "!=" => !left.Equals(right),
        "<" => Order(op, left, right) < 0,
        "<=" => Order(op, left, right) <= 0,
        ">" => Order(op, left, right) > 0,
        ">=" => Order(op, left, right) >= 0,
        "in" => right.Contains(left),
        "not in" => !right.Contains(left),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown comparison"),
    };

    /// <summary>Sign of <c>left - right</c> in Python's ordering; raises TypeError's message for incomparable values.</summary>
    public static int Order(string op, Value left, Value right)
    {
        if (left is UndefinedValue u)
        {
            throw u.Error();
        }

        if (right is UndefinedValue v)
        {
            throw v.Error();
        }

        if (NumberValue.TryGetInteger(left, out var a) && NumberValue.TryGetInteger(right, out var b))
        {
            return a.CompareTo(b);
        }

        if (NumberValue.TryGetDouble(left, out var x) && NumberValue.TryGetDouble(right, out var y))
        {
            return x.CompareTo(y);
        }

        return (left, right) switch
        {
            (StringValue s, StringValue t) => CompareCodePoints(s.Value, t.Value),
            (SequenceValue s, SequenceValue t) when s.GetType() == t.GetType() => CompareSequences(op, s.Items, t.Items),
            _ => throw TemplateErrors.NotComparable(op, left, right),
        };
    }

    /// <summary>Python orders strings by code point; UTF-16 ordinal order differs only around surrogates.</summary>
    private static int CompareCodePoints(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            if (left[i] != right[i])
            {
                return CodePointRank(left[i]).CompareTo(CodePointRank(right[i]));
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    /// <summary>Surrogates encode code points above U+FFFF, so they must rank above every other UTF-16 unit.</summary>
    private static int CodePointRank(char c) => char.IsSurrogate(c) ? c + 0x10000 : c;

    private static int CompareSequences(string op, IReadOnlyList<Value> left, IReadOnlyList<Value> right)
    {
        var length = Math.Min(left.Count, right.Count);
        for (var i = 0; i < length; i++)
        {
            if (!left[i].Equals(right[i]))
            {
                return Order(op, left[i], right[i]);
            }
        }

        return left.Count.CompareTo(right.Count);
    }
}
