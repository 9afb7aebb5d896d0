using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% macro name(a, b=default) %}...{% endmacro %}</c>: binds a callable in the current scope.</summary>
internal sealed class MacroStatement(string name, MacroSignature signature, IReadOnlyList<Statement> body, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        context.Scope.Set(name, new MacroValue(name, signature, body, context.Scope));
        return Completion.Normal;
    }
}
