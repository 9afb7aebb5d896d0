using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% if %}...{% elif %}...{% else %}...{% endif %}</c>. Branches share the enclosing scope.</summary>
internal sealed class IfStatement(IReadOnlyList<(Expression Condition, IReadOnlyList<Statement> Body)> branches, IReadOnlyList<Statement> otherwise, int line)
    : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        foreach (var (condition, body) in branches)
        {
            if (condition.Evaluate(context).IsTruthy)
            {
                return ExecuteAll(body, context);
            }
        }

        return ExecuteAll(otherwise, context);
    }
}
