using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>a if condition else b</c>; without <c>else</c> a false condition yields Undefined.</summary>
internal sealed class ConditionalExpression(Expression condition, Expression whenTrue, Expression? whenFalse, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context)
    {
        if (condition.Evaluate(context).IsTruthy)
        {
            return whenTrue.Evaluate(context);
        }

        return whenFalse?.Evaluate(context)
            ?? UndefinedValue.WithHint($"the inline if-expression on line {Line} evaluated to false and no else section was defined.");
    }
}
