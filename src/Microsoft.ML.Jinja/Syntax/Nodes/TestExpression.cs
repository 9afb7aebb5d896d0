using Microsoft.ML.Kto.Tokenization.Templates.Builtins;
using Microsoft.ML.Kto.Tokenization.Templates.Runtime;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary><c>input is name(arguments)</c>; <c>is not</c> is parsed as a negation around it.</summary>
internal sealed class TestExpression(Expression input, TestFunction test, ArgumentList arguments, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) =>
        BooleanValue.Of(test(input.Evaluate(context), arguments.Evaluate(context), context));
}
