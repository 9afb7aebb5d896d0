using System.Text;
using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>
/// The mutable state of one render: the output being written, the current variable scope and the budgets that keep
/// an untrusted template from exhausting memory, time or the stack.
/// </summary>
internal sealed class RenderContext(Scope globals)
{
    /// <summary>
    /// Longest string a render may produce or build (32 Mi UTF-16 units, 64 MiB). A chat prompt is a tiny fraction of
    /// that; a template that repeats or writes past it is runaway or hostile, and fails before allocating.
    /// </summary>
    public const int MaxStringLength = 32 * 1024 * 1024;

    /// <summary>
    /// Loop iterations one render may run, over all loops. jinja2's sandbox bounds each <c>range</c> at MAX_RANGE but
    /// not nested loops, so <c>range(100000)</c> inside itself would run for hours; real templates iterate over the
    /// messages and tools, thousands of times at most.
    /// </summary>
    public const int MaxLoopIterations = 10_000_000;

    private int _loopIterations;

    public StringBuilder Output { get; private set; } = new();

    /// <summary>
    /// Deepest macro nesting allowed. Python stops runaway recursion with RecursionError; stopping well before
    /// the .NET stack runs out turns it into the same catchable error instead of a crashed process.
    /// </summary>
    private const int MaxMacroDepth = 100;

    private int _macroDepth;

    public Scope Scope { get; set; } = globals;

    /// <summary>Marks entry into a macro call; dispose the result when the call returns.</summary>
    public MacroFrame EnterMacro()
    {
        StackGuard.Ensure();
        if (++_macroDepth > MaxMacroDepth)
        {
            _macroDepth--;
            throw new TemplateException("maximum recursion depth exceeded");
        }

        return new MacroFrame(this);
    }

    /// <summary>Leaves a macro call on dispose, so the depth unwinds even when the call fails.</summary>
    public readonly struct MacroFrame(RenderContext context) : IDisposable
    {
        public void Dispose() => context._macroDepth--;
    }

    /// <summary>Appends rendered text to the current output, within <see cref="MaxStringLength"/>.</summary>
    public void Write(string text)
    {
        if ((long)Output.Length + text.Length > MaxStringLength)
        {
            throw new TemplateException($"the template's output exceeds {MaxStringLength:N0} characters; rendering was stopped because a chat template that writes this much is runaway or hostile.");
        }

        Output.Append(text);
    }

    /// <summary>Counts one loop iteration against <see cref="MaxLoopIterations"/>.</summary>
    public void CountLoopIteration()
    {
        if (++_loopIterations > MaxLoopIterations)
        {
            throw new TemplateException($"the template ran more than {MaxLoopIterations:N0} loop iterations; rendering was stopped because a chat template that loops this much is runaway or hostile.");
        }
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
