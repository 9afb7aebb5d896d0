using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% set name | filter %}body{% endset %}</c>: assigns the rendered body, optionally filtered.</summary>
internal sealed class SetBlockStatement(AssignTarget target, FilterExpression? filter, IReadOnlyList<Statement> body, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        Value value = new StringValue(context.Capture(body, static (b, c) => ExecuteAll(b, c)));
        target.Assign(filter?.Apply(value, context) ?? value, context);
        return Completion.Normal;
    }
}
