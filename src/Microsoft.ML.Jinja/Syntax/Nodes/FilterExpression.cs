using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>
/// <c>input | name(arguments)</c>. In <c>{% filter %}</c> and <c>{% set x | f %}</c> blocks the chain has no
/// input expression and is applied to the rendered body instead.
/// </summary>
internal sealed class FilterExpression(Expression? input, FilterFunction filter, ArgumentList arguments, int line) : Expression(line)
{
    /// <summary>Evaluates an inline filter; block chains (no input) are only ever run through <see cref="Apply"/>.</summary>
    public override Value Evaluate(RenderContext context) =>
        filter(input!.Evaluate(context), arguments.Evaluate(context), context);

    /// <summary>Applies the whole chain to <paramref name="seed"/>, innermost filter first.</summary>
    public Value Apply(Value seed, RenderContext context)
    {
        var value = input is FilterExpression inner ? inner.Apply(seed, context) : seed;
        return filter(value, arguments.Evaluate(context), context);
    }
}
