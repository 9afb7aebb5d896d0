using System.Text;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>a ~ b ~ c</c>: joins <c>str()</c> of each operand, so undefined parts contribute nothing.</summary>
internal sealed class ConcatExpression(IReadOnlyList<Expression> parts, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            builder.Append(part.Evaluate(context).ToDisplayString());
        }

        return new StringValue(builder.ToString());
    }
}
