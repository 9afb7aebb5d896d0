using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% with a = 1 %}...{% endwith %}</c>: a body with its own scope.</summary>
internal sealed class WithStatement(IReadOnlyList<(AssignTarget Target, Expression Value)> assignments, IReadOnlyList<Statement> body, int line)
    : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        var outer = context.Scope;
        var values = assignments.Select(a => a.Value.Evaluate(context)).ToList();
        context.Scope = new Scope(outer);
        try
        {
            for (var i = 0; i < values.Count; i++)
            {
                assignments[i].Target.Assign(values[i], context);
            }

            return ExecuteAll(body, context);
        }
        finally
        {
            context.Scope = outer;
        }
    }
}
