using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary><c>{% break %}</c> or <c>{% continue %}</c> (jinja2's loopcontrols extension, which transformers enables).</summary>
internal sealed class LoopControlStatement(Completion completion, int line) : Statement(line)
{
    public override Completion Execute(RenderContext context) => completion;
}
