using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A statement node; executing it writes to the context's output.</summary>
internal abstract class Statement(int line)
{
    public int Line { get; } = line;

    /// <summary>Runs the statement; <c>break</c>/<c>continue</c> are reported through the result, not thrown.</summary>
    public abstract Completion Execute(RenderContext context);

    public static Completion ExecuteAll(IReadOnlyList<Statement> body, RenderContext context)
    {
        StackGuard.Ensure();
        foreach (var statement in body)
        {
            var completion = statement.Execute(context);
            if (completion != Completion.Normal)
            {
                return completion;
            }
        }

        return Completion.Normal;
    }
}
