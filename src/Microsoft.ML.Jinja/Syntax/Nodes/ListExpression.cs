using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A list literal <c>[a, b]</c>.</summary>
internal sealed class ListExpression(IReadOnlyList<Expression> items, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) => new ListValue(EvaluateAll(items, context));

    public static Value[] EvaluateAll(IReadOnlyList<Expression> expressions, RenderContext context)
    {
        var values = new Value[expressions.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = expressions[i].Evaluate(context);
        }

        return values;
    }
}
