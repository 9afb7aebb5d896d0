using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>a and b</c> / <c>a or b</c>: short-circuiting, returning an operand (not a bool) as Python does.</summary>
internal sealed class LogicalExpression(bool isAnd, Expression left, Expression right, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context)
    {
        var first = left.Evaluate(context);
        return first.IsTruthy == isAnd ? right.Evaluate(context) : first;
    }
}
