using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary>A tuple <c>(a, b)</c> or bare <c>a, b</c>; also the shape of tuple assignment targets.</summary>
internal sealed class TupleExpression(IReadOnlyList<Expression> items, int line) : Expression(line)
{
    public IReadOnlyList<Expression> Items { get; } = items;

    public override Value Evaluate(RenderContext context) => new TupleValue(ListExpression.EvaluateAll(Items, context));
}
