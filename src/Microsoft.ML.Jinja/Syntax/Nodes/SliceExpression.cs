using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>The <c>start:stop:step</c> inside brackets; omitted parts are None, as in Python.</summary>
internal sealed class SliceExpression(Expression start, Expression stop, Expression step, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) =>
        new SliceValue(start.Evaluate(context), stop.Evaluate(context), step.Evaluate(context));
}
