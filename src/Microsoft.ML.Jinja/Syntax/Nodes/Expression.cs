using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary>An expression node; each node evaluates itself, so rendering is a direct walk of the parsed tree.</summary>
internal abstract class Expression(int line)
{
    public int Line { get; } = line;

    public abstract Value Evaluate(RenderContext context);
}
