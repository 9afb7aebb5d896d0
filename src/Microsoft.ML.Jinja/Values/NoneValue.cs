namespace Microsoft.ML.Jinja.Values;

/// <summary>Python <c>None</c> (jinja's <c>none</c>/<c>None</c>, JSON <c>null</c>).</summary>
internal sealed class NoneValue : Value
{
    public static readonly NoneValue Instance = new();

    private NoneValue()
    {
    }

    public override string TypeName => "NoneType";

    public override string ObjectTypeRepr => "None";

    public override bool IsTruthy => false;

    public override string ToRepr() => "None";

    public override bool Equals(object? obj) => obj is NoneValue;

    public override int GetHashCode() => 1;
}
