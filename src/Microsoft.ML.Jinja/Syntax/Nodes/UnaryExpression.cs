using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary>Unary <c>-x</c> or <c>+x</c>.</summary>
internal sealed class UnaryExpression(bool negate, Expression operand, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context)
    {
        var value = operand.Evaluate(context);
        return negate ? Arithmetic.Negate(value) : Arithmetic.Plus(value);
    }
}
