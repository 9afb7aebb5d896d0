namespace Microsoft.ML.Jinja.Values;

/// <summary>Python <c>bool</c>; like Python it compares and hashes equal to the integers 0 and 1.</summary>
internal sealed class BooleanValue : Value
{
    public static readonly BooleanValue True = new(true);
    public static readonly BooleanValue False = new(false);

    private BooleanValue(bool value) => Value = value;

    public bool Value { get; }

    public static BooleanValue Of(bool value) => value ? True : False;

    public override string TypeName => "bool";

    public override bool IsTruthy => Value;

    public override string ToRepr() => Value ? "True" : "False";

    public override bool Equals(object? obj) => NumberValue.NumericEquals(this, obj);

    public override int GetHashCode() => Value ? 1.0.GetHashCode() : 0.0.GetHashCode();
}
