using System.Text;
using Microsoft.ML.Kto.Tokenization.Templates.Builtins;
using Microsoft.ML.Kto.Tokenization.Templates.Values;

namespace Microsoft.ML.Kto.Tokenization.Templates.Runtime;

/// <summary>The mutable state of one render: the output being written and the current variable scope.</summary>
internal sealed class RenderContext(Scope globals)
{
    public StringBuilder Output { get; private set; } = new();

    /// <summary>
    /// Deepest macro nesting allowed. Python stops runaway recursion with RecursionError; stopping well before
    /// the .NET stack runs out turns it into the same catchable error instead of a crashed process.
    /// </summary>
    private const int MaxMacroDepth = 100;

    private int macroDepth;

    public Scope Scope { get; set; } = globals;

    /// <summary>Marks entry into a macro call; dispose the result when the call returns.</summary>
    public MacroFrame EnterMacro()
    {
        if (++macroDepth > MaxMacroDepth)
        {
            macroDepth--;
            throw new TemplateException("maximum recursion depth exceeded");
        }

        return new MacroFrame(this);
    }

    /// <summary>Leaves a macro call on dispose, so the depth unwinds even when the call fails.</summary>
    public readonly struct MacroFrame(RenderContext context) : IDisposable
    {
        public void Dispose() => context.macroDepth--;
    }

    public Value Lookup(string name)
    {
        if (Scope.TryLookup(name, out var value) || Globals.TryGet(name, out value))
        {
            return value;
        }

        return UndefinedValue.Variable(name);
    }

    /// <summary>Runs <paramref name="render"/> into a fresh buffer and returns what it wrote (block set, macros, filter blocks).</summary>
    public string Capture<TState>(TState state, Action<TState, RenderContext> render)
    {
        var outer = Output;
        Output = new StringBuilder();
        try
        {
            render(state, this);
            return Output.ToString();
        }
        finally
        {
            Output = outer;
        }
    }
}
