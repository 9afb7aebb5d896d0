using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary>A literal (<c>'text'</c>, <c>42</c>, <c>true</c>, <c>none</c>), decoded once at parse time.</summary>
internal sealed class ConstantExpression(Value value, int line) : Expression(line)
{
    public Value Value { get; } = value;

    public override Value Evaluate(RenderContext context) => Value;
}
