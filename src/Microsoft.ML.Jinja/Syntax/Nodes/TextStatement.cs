using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>Template text between tags, written verbatim.</summary>
internal sealed class TextStatement(string text, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        context.Write(text);
        return Completion.Normal;
    }
}
