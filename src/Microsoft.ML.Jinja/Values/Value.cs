using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>
/// A runtime value. Each subclass mirrors one Python type as jinja2 sees it, so truthiness, str(),
/// repr(), equality and lookups follow Python rather than .NET conventions.
/// </summary>
internal abstract class Value
{
    /// <summary>Python's <c>type(x).__name__</c>; used in error messages and <c>tojson</c> failures.</summary>
    public abstract string TypeName { get; }

    /// <summary>jinja2's <c>object_type_repr</c>, used in "has no attribute" messages.</summary>
    public virtual string ObjectTypeRepr => $"{TypeName} object";

    public virtual bool IsTruthy => true;

    /// <summary>Python <c>str(x)</c>: what <c>{{ x }}</c> renders.</summary>
    public virtual string ToDisplayString() => ToRepr();

    /// <summary>Python <c>repr(x)</c>: how the value appears inside a rendered list or dict.</summary>
    public abstract string ToRepr();

    /// <summary>Python <c>len(x)</c>, or null where Python raises TypeError.</summary>
    public virtual int? Length => null;

    public virtual bool IsIterable => false;

    public virtual IEnumerable<Value> Iterate() => throw TemplateErrors.NotIterable(this);

    /// <summary>Python <c>getattr(x, name)</c> for the attributes the sandbox exposes (mostly methods).</summary>
    public virtual bool TryGetMember(string name, out Value member)
    {
        member = null!;
        return false;
    }

    /// <summary>Python <c>x[key]</c>; false where Python raises TypeError or LookupError.</summary>
    public virtual bool TryGetItem(Value key, out Value item)
    {
        item = null!;
        return false;
    }

    /// <summary>Python <c>needle in x</c>.</summary>
    public virtual bool Contains(Value needle) =>
        IsIterable ? Iterate().Any(needle.Equals) : throw new TemplateException($"argument of type '{TypeName}' is not iterable");

    public virtual Value Call(Arguments arguments, RenderContext context) => throw TemplateErrors.NotCallable(this);

    public override string ToString() => ToDisplayString();
}
