using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A tuple <c>(a, b)</c> or bare <c>a, b</c>; also the shape of tuple assignment targets.</summary>
internal sealed class TupleExpression(IReadOnlyList<Expression> items, int line) : Expression(line)
{
    public IReadOnlyList<Expression> Items { get; } = items;

    public override Value Evaluate(RenderContext context) => new TupleValue(ListExpression.EvaluateAll(Items, context));
}
