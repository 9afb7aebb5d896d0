using Microsoft.ML.Jinja.Formatting;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>Python's arithmetic operators: int stays int where Python keeps it, <c>/</c> is true division, <c>%</c> and <c>//</c> floor.</summary>
internal static class Arithmetic
{
    public static Value Add(Value left, Value right)
    {
        ThrowIfUndefined(left, right);
        if (NumberValue.TryGetInteger(left, out var a) && NumberValue.TryGetInteger(right, out var b))
        {
            return Integer((Int128)a + b);
        }

        return (left, right) switch
        {
            _ when BothNumbers(left, right, out var x, out var y) => new FloatValue(x + y),
            (StringValue s, StringValue t) => new StringValue(s.Value + t.Value),
            (StringValue, _) => throw new TemplateException($"can only concatenate str (not \"{right.TypeName}\") to str"),
            (ListValue l, ListValue m) => new ListValue([.. l.Items, .. m.Items]),
            (TupleValue l, TupleValue m) => new TupleValue([.. l.Items, .. m.Items]),
            (SequenceValue s, _) => throw new TemplateException($"can only concatenate {s.TypeName} (not \"{right.TypeName}\") to {s.TypeName}"),
            _ => throw TemplateErrors.UnsupportedOperands("+", left, right),
        };
    }

    public static Value Subtract(Value left, Value right)
    {
        ThrowIfUndefined(left, right);
        if (NumberValue.TryGetInteger(left, out var a) && NumberValue.TryGetInteger(right, out var b))
        {
            return Integer((Int128)a - b);
        }

        return BothNumbers(left, right, out var x, out var y)
            ? new FloatValue(x - y)
            : throw TemplateErrors.UnsupportedOperands("-", left, right);
    }

    public static Value Multiply(Value left, Value right)
    {
        ThrowIfUndefined(left, right);
        if (NumberValue.TryGetInteger(left, out var a) && NumberValue.TryGetInteger(right, out var b))
        {
            return Integer((Int128)a * b);
        }

        if (BothNumbers(left, right, out var x, out var y))
        {
            return new FloatValue(x * y);
        }

        var (sequence, count) = left is StringValue or SequenceValue ? (left, right) : (right, left);
        if (sequence is not (StringValue or SequenceValue) || !NumberValue.IsNumber(count))
        {
            throw TemplateErrors.UnsupportedOperands("*", left, right);
        }

        if (!NumberValue.TryGetInteger(count, out var times))
        {
            throw new TemplateException($"can't multiply sequence by non-int of type '{count.TypeName}'");
        }

        var length = sequence switch { StringValue s => s.Value.Length, SequenceValue list => list.Items.Count, _ => 0 };
        if (times > 0 && length > 0 && times > RenderContext.MaxStringLength / length)
        {
            throw new TemplateException($"repeating a {sequence.TypeName} of length {length} {times} times exceeds the template limit of {RenderContext.MaxStringLength:N0} elements");
        }

        return Repeat(sequence, (int)Math.Clamp(times, 0, RenderContext.MaxStringLength));
    }

    public static Value Divide(Value left, Value right)
    {
        ThrowIfUndefined(left, right);
        if (!BothNumbers(left, right, out var x, out var y))
        {
            throw TemplateErrors.UnsupportedOperands("/", left, right);
        }

        return y == 0
            ? throw new TemplateException(left is FloatValue || right is FloatValue ? "float division by zero" : "division by zero")
            : new FloatValue(x / y);
    }

    public static Value FloorDivide(Value left, Value right)
    {
        ThrowIfUndefined(left, right);
        if (NumberValue.TryGetInteger(left, out var a) && NumberValue.TryGetInteger(right, out var b))
        {
            return b == 0
                ? throw new TemplateException("integer division or modulo by zero")
                : IntegerValue.Of(FloorInteger(a, b));
        }

        if (!BothNumbers(left, right, out var x, out var y))
        {
            throw TemplateErrors.UnsupportedOperands("//", left, right);
        }

        return y == 0 ? throw new TemplateException("float floor division by zero") : new FloatValue(Math.Floor(x / y));
    }

    public static Value Modulo(Value left, Value right)
    {
        ThrowIfUndefined(left, right);
        if (left is StringValue format)
        {
            return new StringValue(PercentFormat.Apply(format.Value, right));
        }

        if (NumberValue.TryGetInteger(left, out var a) && NumberValue.TryGetInteger(right, out var b))
        {
            return b == 0 ? throw new TemplateException("integer modulo by zero") : IntegerValue.Of(a - (b * FloorInteger(a, b)));
        }

        if (!BothNumbers(left, right, out var x, out var y))
        {
            throw TemplateErrors.UnsupportedOperands("%", left, right);
        }

        if (y == 0)
        {
            throw new TemplateException("float modulo by zero");
        }

        var remainder = x % y;
        return new FloatValue(remainder != 0 && (remainder < 0) != (y < 0) ? remainder + y : remainder);
    }

    public static Value Power(Value left, Value right)
    {
        ThrowIfUndefined(left, right);
        if (NumberValue.TryGetInteger(left, out var a) && NumberValue.TryGetInteger(right, out var b) && b >= 0)
        {
            return IntegerPower(a, b);
        }

        return BothNumbers(left, right, out var x, out var y)
            ? new FloatValue(Math.Pow(x, y))
            : throw TemplateErrors.UnsupportedOperands("** or pow()", left, right);
    }

    public static Value Negate(Value operand) => operand switch
    {
        UndefinedValue u => throw u.Error(),
        _ when NumberValue.TryGetInteger(operand, out var i) => Integer(-(Int128)i),
        FloatValue f => new FloatValue(-f.Value),
        _ => throw TemplateErrors.BadUnaryOperand("-", operand),
    };

    public static Value Plus(Value operand) => operand switch
    {
        UndefinedValue u => throw u.Error(),
        _ when NumberValue.TryGetInteger(operand, out var i) => IntegerValue.Of(i),
        FloatValue => operand,
        _ => throw TemplateErrors.BadUnaryOperand("+", operand),
    };

    private static long FloorInteger(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

    /// <summary>Exponentiation by squaring, failing as soon as an intermediate leaves the 64-bit range.</summary>
    private static IntegerValue IntegerPower(long value, long exponent)
    {
        Int128 result = 1;
        Int128 power = value;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1)
            {
                result = Integer(result * power).Value;
            }

            exponent >>= 1;
            if (exponent > 0)
            {
                power = Integer(power * power).Value;
            }
        }

        return Integer(result);
    }

    private static Value Repeat(Value sequence, int times) => sequence switch
    {
        StringValue s => new StringValue(string.Concat(Enumerable.Repeat(s.Value, times))),
        SequenceValue list => list.WithItems(Enumerable.Repeat(list.Items, times).SelectMany(i => i).ToArray()),
        _ => throw new InvalidOperationException(),
    };

    private static bool BothNumbers(Value left, Value right, out double x, out double y)
    {
        y = 0;
        return NumberValue.TryGetDouble(left, out x) && NumberValue.TryGetDouble(right, out y);
    }

    private static IntegerValue Integer(Int128 value) =>
        value < long.MinValue || value > long.MaxValue ? throw TemplateErrors.Overflow() : IntegerValue.Of((long)value);

    private static void ThrowIfUndefined(Value left, Value right)
    {
        if (left is UndefinedValue u)
        {
            throw u.Error();
        }

        if (right is UndefinedValue v)
        {
            throw v.Error();
        }
    }
}
