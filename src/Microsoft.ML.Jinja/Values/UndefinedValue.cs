using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>
/// jinja2's default <c>Undefined</c>: renders empty, is falsy and iterates as empty, but any further use
/// (attribute, item, arithmetic, call) raises with a message naming what was missing.
/// The message is built only when needed because undefined lookups are common in templates
/// (<c>x is defined</c>) and rarely fatal.
/// </summary>
internal sealed class UndefinedValue : Value
{
    private readonly Value? _owner;
    private readonly Value? _name;
    private readonly string? _hint;

    private UndefinedValue(Value? owner, Value? name, string? hint)
    {
        _owner = owner;
        _name = name;
        _hint = hint;
    }

    /// <summary>An unknown variable: <c>'x' is undefined</c>.</summary>
    public static UndefinedValue Variable(string name) => new(null, new StringValue(name), null);

    /// <summary>A missing attribute or item of <paramref name="owner"/>.</summary>
    public static UndefinedValue Member(Value owner, Value name) => new(owner, name, null);

    /// <summary>An undefined carrying jinja2's explicit hint, e.g. "No first item, sequence was empty.".</summary>
    public static UndefinedValue WithHint(string hint) => new(null, null, hint);

    public override string TypeName => "Undefined";

    public override bool IsTruthy => false;

    public override string ToDisplayString() => string.Empty;

    public override string ToRepr() => "Undefined";

    public override int? Length => 0;

    public override bool IsIterable => true;

    public override IEnumerable<Value> Iterate() => [];

    public override bool Contains(Value needle) => false;

    public override Value Call(Arguments arguments, RenderContext context) => throw Error();

    public string Message
    {
        get
        {
            if (_hint is not null)
            {
                return _hint;
            }

            if (_owner is null)
            {
                return $"{_name!.ToRepr()} is undefined";
            }

            return _name is StringValue
                ? $"'{_owner.ObjectTypeRepr}' has no attribute {_name.ToRepr()}"
                : $"{_owner.ObjectTypeRepr} has no element {_name!.ToRepr()}";
        }
    }

    public TemplateException Error() => new(Message);

    public override bool Equals(object? obj) => obj is UndefinedValue;

    public override int GetHashCode() => 0;
}
