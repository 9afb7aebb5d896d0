using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% set target = expression %}</c>.</summary>
internal sealed class SetStatement(AssignTarget target, Expression value, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        target.Assign(value.Evaluate(context), context);
        return Completion.Normal;
    }
}
