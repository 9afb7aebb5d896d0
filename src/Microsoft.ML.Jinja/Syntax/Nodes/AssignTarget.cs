using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>The left side of <c>set</c> or a <c>for</c> loop: a name, a tuple of targets, or <c>ns.attribute</c>.</summary>
internal abstract class AssignTarget
{
    public abstract void Assign(Value value, RenderContext context);
}

internal sealed class NameTarget(string name) : AssignTarget
{
    public override void Assign(Value value, RenderContext context) => context.Scope.Set(name, value);
}

/// <summary>Unpacks an iterable into several targets, failing like Python when the counts differ.</summary>
internal sealed class TupleTarget(IReadOnlyList<AssignTarget> targets) : AssignTarget
{
    public override void Assign(Value value, RenderContext context)
    {
        var items = value is SequenceValue sequence ? sequence.Items : value.Iterate().ToList();
        if (items.Count != targets.Count)
        {
            throw TemplateErrors.Unpack(targets.Count, items.Count);
        }

        for (var i = 0; i < targets.Count; i++)
        {
            targets[i].Assign(items[i], context);
        }
    }
}

/// <summary><c>set ns.attribute = ...</c>, the only assignment that escapes a loop body.</summary>
internal sealed class NamespaceTarget(string name, string attribute) : AssignTarget
{
    public override void Assign(Value value, RenderContext context)
    {
        if (context.Lookup(name) is not NamespaceValue target)
        {
            throw new TemplateException("cannot assign attribute on non-namespace object");
        }

        target.SetAttribute(attribute, value);
    }
}
