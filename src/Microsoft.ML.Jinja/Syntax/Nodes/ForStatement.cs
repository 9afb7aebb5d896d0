using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>
/// <c>{% for target in iterable if condition %}...{% else %}...{% endfor %}</c>. Every iteration starts from a
/// fresh scope (jinja2 does not carry a <c>set</c> from one iteration to the next); <c>else</c> runs when
/// nothing was iterated; the optional condition filters items before <c>loop</c> counts them.
/// </summary>
internal sealed class ForStatement(
    AssignTarget target,
    Expression iterable,
    Expression? condition,
    IReadOnlyList<Statement> body,
    IReadOnlyList<Statement> otherwise,
    int line) : Statement(line)
{
    public override Completion Execute(RenderContext context)
    {
        var source = iterable.Evaluate(context);
        var outer = context.Scope;
        var scope = new Scope(outer);
        context.Scope = scope;
        try
        {
            var items = Select(source, scope, context);
            if (items.Count == 0)
            {
                return ExecuteAll(otherwise, context);
            }

            var loop = new LoopValue(items);
            for (var i = 0; i < items.Count; i++)
            {
                context.CountLoopIteration();
                scope.Clear();
                target.Assign(items[i], context);
                loop.MoveTo(i);
                scope.Set("loop", loop);
                if (ExecuteAll(body, context) == Completion.Break)
                {
                    break;
                }
            }

            return Completion.Normal;
        }
        finally
        {
            context.Scope = outer;
        }
    }

    private IReadOnlyList<Value> Select(Value source, Scope scope, RenderContext context)
    {
        var items = source is SequenceValue sequence ? sequence.Items : source.Iterate().ToList();
        if (condition is null)
        {
            return items;
        }

        var selected = new List<Value>(items.Count);
        foreach (var item in items)
        {
            scope.Clear();
            target.Assign(item, context);
            if (condition.Evaluate(context).IsTruthy)
            {
                selected.Add(item);
            }
        }

        return selected;
    }
}
