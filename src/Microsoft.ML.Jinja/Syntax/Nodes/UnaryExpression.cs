using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>Unary <c>-x</c> or <c>+x</c>.</summary>
internal sealed class UnaryExpression(bool negate, Expression operand, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context)
    {
        var value = operand.Evaluate(context);
        return negate ? Arithmetic.Negate(value) : Arithmetic.Plus(value);
    }
}
