using System.Runtime.CompilerServices;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>
/// The last line of defence against a template that recurses (macros calling macros, each with deeply nested
/// blocks) further than the calling thread's stack allows: a .NET stack overflow cannot be caught and would kill the
/// process, so every level of parsing and rendering checks first that stack is left and fails as a template error.
/// Depth counters bound the common cases; this covers their product and small thread stacks.
/// </summary>
internal static class StackGuard
{
    public static void Ensure()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new TemplateException("the template nests or recurses too deeply for this thread's stack");
        }
    }
}
