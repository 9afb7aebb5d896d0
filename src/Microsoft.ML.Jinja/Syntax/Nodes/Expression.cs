using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>An expression node; each node evaluates itself, so rendering is a direct walk of the parsed tree.</summary>
internal abstract class Expression(int line)
{
    public int Line { get; } = line;

    public abstract Value Evaluate(RenderContext context);
}
