using System.Globalization;

namespace Microsoft.ML.Jinja.Values;

/// <summary>Python <c>int</c>, limited to 64 bits (overflow raises instead of promoting).</summary>
internal sealed class IntegerValue : Value
{
    private static readonly IntegerValue[] SmallValues = Enumerable.Range(-8, 264).Select(i => new IntegerValue(i)).ToArray();

    private IntegerValue(long value) => Value = value;

    public long Value { get; }

    /// <summary>Small integers (loop indices, lengths) are shared to keep rendering allocation-light.</summary>
    public static IntegerValue Of(long value) =>
        value is >= -8 and < 256 ? SmallValues[value + 8] : new IntegerValue(value);

    public override string TypeName => "int";

    public override bool IsTruthy => Value != 0;

    public override string ToRepr() => Value.ToString(CultureInfo.InvariantCulture);

    public override bool TryGetMember(string name, out Value member)
    {
        member = name switch
        {
            "real" or "numerator" => this,
            "imag" => Of(0),
            "denominator" => Of(1),
            _ => null!,
        };
        return member is not null;
    }

    public override bool Equals(object? obj) => NumberValue.NumericEquals(this, obj);

    public override int GetHashCode() => ((double)Value).GetHashCode();
}
