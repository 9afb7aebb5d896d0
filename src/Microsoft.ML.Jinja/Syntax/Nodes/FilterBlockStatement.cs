using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% filter upper %}body{% endfilter %}</c>: renders the body, then writes it through the filter chain.</summary>
internal sealed class FilterBlockStatement(FilterExpression filter, IReadOnlyList<Statement> body, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        var rendered = new StringValue(context.Capture(body, static (b, c) => ExecuteAll(b, c)));
        context.Write(filter.Apply(rendered, context).ToDisplayString());
        return Completion.Normal;
    }
}
