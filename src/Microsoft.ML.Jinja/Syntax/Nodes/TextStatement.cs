using Microsoft.ML.Kto.Tokenization.Templates.Runtime;

namespace Microsoft.ML.Kto.Tokenization.Templates.Syntax.Nodes;

/// <summary>Template text between tags, written verbatim.</summary>
internal sealed class TextStatement(string text, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        context.Write(text);
        return Completion.Normal;
    }
}
