using Microsoft.ML.Kto.Tokenization.Templates.Runtime;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary><c>{% set target = expression %}</c>.</summary>
internal sealed class SetStatement(AssignTarget target, Expression value, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        target.Assign(value.Evaluate(context), context);
        return Completion.Normal;
    }
}
