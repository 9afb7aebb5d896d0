using Microsoft.ML.Jinja.Formatting;

namespace Microsoft.ML.Jinja.Values;

/// <summary>Python <c>float</c>; renders with Python's shortest round-trip repr (<c>2.0</c>, <c>1e-05</c>).</summary>
internal sealed class FloatValue(double value) : Value
{
    public double Value { get; } = value;

    public override string TypeName => "float";

    public override bool IsTruthy => Value != 0;

    public override string ToRepr() => PythonFloat.Repr(Value);

    public override bool TryGetMember(string name, out Value member)
    {
        member = name switch
        {
            "real" => this,
            "imag" => new FloatValue(0),
            _ => null!,
        };
        return member is not null;
    }

    public override bool Equals(object? obj) => NumberValue.NumericEquals(this, obj);

    public override int GetHashCode() => Value.GetHashCode();
}
