using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A comparison chain such as <c>a &lt; b &lt;= c</c> or <c>x not in y</c>, evaluated pairwise like Python.</summary>
internal sealed class CompareExpression(Expression first, IReadOnlyList<(string Op, Expression Operand)> rest, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context)
    {
        var left = first.Evaluate(context);
        foreach (var (op, operand) in rest)
        {
            var right = operand.Evaluate(context);
            if (!Comparison.Compare(op, left, right))
            {
                return BooleanValue.False;
            }

            left = right;
        }

        return BooleanValue.True;
    }
}
