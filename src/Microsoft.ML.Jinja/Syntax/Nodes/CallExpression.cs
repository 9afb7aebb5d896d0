using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>callee(arguments)</c>: a global, a bound method such as <c>text.strip()</c>, or a macro.</summary>
internal sealed class CallExpression(Expression callee, ArgumentList arguments, int line) : Expression(line)
{
    public override Value Evaluate(RenderContext context) => Invoke(context, arguments.Evaluate(context));

    /// <summary>Calls with extra arguments already evaluated; <c>{% call %}</c> uses this to pass <c>caller</c>.</summary>
    public Value Invoke(RenderContext context, Arguments evaluated) => callee.Evaluate(context).Call(evaluated, context);

    public ArgumentList Arguments => arguments;
}
