using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>target[key]</c> or <c>target[start:stop:step]</c>, resolved with the sandbox's item-then-attribute rule.</summary>
internal sealed class ItemExpression(Expression target, Expression key, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) => MemberAccess.GetItem(target.Evaluate(context), key.Evaluate(context));
}
