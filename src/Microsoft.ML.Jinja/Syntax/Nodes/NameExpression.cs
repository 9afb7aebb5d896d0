using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary>A variable reference; unknown names evaluate to Undefined rather than failing.</summary>
internal sealed class NameExpression(string name, int line) : Expression(line)
{
    public string Name { get; } = name;

    public override Value Evaluate(RenderContext context) => context.Lookup(Name);
}
