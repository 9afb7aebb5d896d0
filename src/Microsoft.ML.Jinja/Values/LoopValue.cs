using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>
/// The <c>loop</c> variable of a for loop. One instance serves the whole loop and is advanced per
/// iteration, so rendering allocates nothing per item for it.
/// </summary>
internal sealed class LoopValue(IReadOnlyList<Value> items) : Value
{
    private Value? _lastChanged;

    public int Index0 { get; private set; }

    public void MoveTo(int index0) => Index0 = index0;

    public override string TypeName => "LoopContext";

    public override string ObjectTypeRepr => "jinja2.runtime.LoopContext object";

    public override string ToRepr() => $"<LoopContext {Index0 + 1}/{items.Count}>";

    public override bool TryGetMember(string name, out Value member)
    {
        member = name switch
        {
            "index" => IntegerValue.Of(Index0 + 1),
            "index0" => IntegerValue.Of(Index0),
            "revindex" => IntegerValue.Of(items.Count - Index0),
            "revindex0" => IntegerValue.Of(items.Count - Index0 - 1),
            "first" => BooleanValue.Of(Index0 == 0),
            "last" => BooleanValue.Of(Index0 == items.Count - 1),
            "length" => IntegerValue.Of(items.Count),

            // depth counts recursive-loop levels, which are not supported, so it is always the top level.
            "depth" => IntegerValue.Of(1),
            "depth0" => IntegerValue.Of(0),
            "previtem" => Index0 > 0 ? items[Index0 - 1] : UndefinedValue.WithHint("there is no previous item"),
            "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : UndefinedValue.WithHint("there is no next item"),
            "cycle" => new BuiltinFunctionValue("cycle", (args, _) => Cycle(args)),
            "changed" => new BuiltinFunctionValue("changed", (args, _) => Changed(args)),
            _ => null!,
        };
        return member is not null;
    }

    private Value Cycle(Arguments arguments)
    {
        if (arguments.Positional.Count == 0)
        {
            throw new TemplateException("no items for cycling given");
        }

        return arguments.Positional[Index0 % arguments.Positional.Count];
    }

    private BooleanValue Changed(Arguments arguments)
    {
        var current = new TupleValue([.. arguments.Positional]);
        if (current.Equals(_lastChanged))
        {
            return BooleanValue.False;
        }

        _lastChanged = current;
        return BooleanValue.True;
    }
}
