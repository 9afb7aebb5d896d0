using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>target.name</c>, resolved with the sandbox's attribute-then-item rule.</summary>
internal sealed class AttributeExpression(Expression target, string name, int line) : Expression(line)
{
    private readonly StringValue _key = new(name);

    public override Value Evaluate(RenderContext context) => MemberAccess.GetAttribute(target.Evaluate(context), _key);
}
