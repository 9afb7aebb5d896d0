namespace Microsoft.ML.Jinja.Values;

/// <summary>Shared numeric rules: Python treats bool, int and float as one family for equality and hashing.</summary>
internal static class NumberValue
{
    public static bool IsNumber(Value value) => value is IntegerValue or FloatValue or BooleanValue;

    /// <summary>The value as an integer when it is a bool or int (Python's <c>operator.index</c>).</summary>
    public static bool TryGetInteger(Value value, out long result)
    {
        switch (value)
        {
            case IntegerValue i:
                result = i.Value;
                return true;
            case BooleanValue b:
                result = b.Value ? 1 : 0;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    public static bool TryGetDouble(Value value, out double result)
    {
        if (value is FloatValue f)
        {
            result = f.Value;
            return true;
        }

        var isInteger = TryGetInteger(value, out var i);
        result = i;
        return isInteger;
    }

    public static bool NumericEquals(Value self, object? other)
    {
        if (other is not Value otherValue || !IsNumber(otherValue))
        {
            return false;
        }

        if (TryGetInteger(self, out var a) && TryGetInteger(otherValue, out var b))
        {
            return a == b;
        }

        TryGetDouble(self, out var x);
        TryGetDouble(otherValue, out var y);
        return x == y;
    }
}
