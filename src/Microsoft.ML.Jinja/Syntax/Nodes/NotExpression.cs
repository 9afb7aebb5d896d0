using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>not operand</c>, by Python truthiness.</summary>
internal sealed class NotExpression(Expression operand, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) => BooleanValue.Of(!operand.Evaluate(context).IsTruthy);
}
