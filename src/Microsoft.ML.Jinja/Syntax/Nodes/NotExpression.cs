using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary><c>not operand</c>, by Python truthiness.</summary>
internal sealed class NotExpression(Expression operand, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) => BooleanValue.Of(!operand.Evaluate(context).IsTruthy);
}
