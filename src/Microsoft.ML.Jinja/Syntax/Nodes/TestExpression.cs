using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>input is name(arguments)</c>; <c>is not</c> is parsed as a negation around it.</summary>
internal sealed class TestExpression(Expression input, TestFunction test, ArgumentList arguments, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) =>
        BooleanValue.Of(test(input.Evaluate(context), arguments.Evaluate(context), context));
}
