using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% call(args) macro(...) %}body{% endcall %}</c>: calls the macro with the body as <c>caller</c>.</summary>
internal sealed class CallBlockStatement(CallExpression call, MacroSignature callerSignature, IReadOnlyList<Statement> body, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        var caller = new MacroValue("caller", callerSignature, body, context.Scope);
        var arguments = call.Arguments.Evaluate(context);
        var withCaller = new Arguments(arguments.Positional, [.. arguments.Keywords, new("caller", caller)]);
        context.Write(call.Invoke(context, withCaller).ToDisplayString());
        return Completion.Normal;
    }
}
