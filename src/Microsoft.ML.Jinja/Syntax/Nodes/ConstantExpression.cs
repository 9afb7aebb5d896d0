using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A literal (<c>'text'</c>, <c>42</c>, <c>true</c>, <c>none</c>), decoded once at parse time.</summary>
internal sealed class ConstantExpression(Value value, int line) : Expression(line)
{
    public Value Value { get; } = value;

    public override Value Evaluate(RenderContext context) => Value;
}
