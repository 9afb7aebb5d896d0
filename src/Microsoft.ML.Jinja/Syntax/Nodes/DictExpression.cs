using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A dict literal <c>{'key': value}</c>.</summary>
internal sealed class DictExpression(IReadOnlyList<(Expression Key, Expression Value)> pairs, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context)
    {
        var entries = new KeyValuePair<Value, Value>[pairs.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new(pairs[i].Key.Evaluate(context), pairs[i].Value.Evaluate(context));
        }

        return new DictValue(entries);
    }
}
