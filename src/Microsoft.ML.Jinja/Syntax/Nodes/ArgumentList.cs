using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>The argument expressions of a call, filter or test: positional, <c>name=value</c>, <c>*args</c>, <c>**kwargs</c>.</summary>
internal sealed class ArgumentList(
    IReadOnlyList<Expression> positional,
    IReadOnlyList<(string Name, Expression Value)> keywords,
    Expression? spreadPositional,
    Expression? spreadKeywords)
{
    public static readonly ArgumentList Empty = new([], [], null, null);

    public Arguments Evaluate(RenderContext context)
    {
        if (positional.Count == 0 && keywords.Count == 0 && spreadPositional is null && spreadKeywords is null)
        {
            return Arguments.Empty;
        }

        var values = new List<Value>(ListExpression.EvaluateAll(positional, context));
        if (spreadPositional is not null)
        {
            values.AddRange(spreadPositional.Evaluate(context).Iterate());
        }

        var named = new List<KeyValuePair<string, Value>>(keywords.Count);
        foreach (var (name, value) in keywords)
        {
            named.Add(new(name, value.Evaluate(context)));
        }

        if (spreadKeywords?.Evaluate(context) is DictValue spread)
        {
            named.AddRange(spread.Entries.Select(e => new KeyValuePair<string, Value>(e.Key.ToDisplayString(), e.Value)));
        }

        return new Arguments(values, named);
    }
}
