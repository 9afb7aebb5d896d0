using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{{ expression }}</c>: writes Python's <c>str()</c> of the value (undefined writes nothing).</summary>
internal sealed class OutputStatement(Expression expression, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        context.Write(expression.Evaluate(context).ToDisplayString());
        return Completion.Normal;
    }
}
