using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A variable reference; unknown names evaluate to Undefined rather than failing.</summary>
internal sealed class NameExpression(string name, int line) : Expression(line)
{
    public string Name { get; } = name;

    public override Value Evaluate(RenderContext context) => context.Lookup(Name);
}
