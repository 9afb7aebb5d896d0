using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>
/// One level of variable bindings. jinja2 gives each for-loop iteration and each macro call its own
/// level, so a <c>set</c> there is invisible outside (hence <c>namespace()</c> in chat templates).
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, Value> _variables = new(StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    public bool TryLookup(string name, out Value value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables.TryGetValue(name, out value!))
            {
                return true;
            }
        }

        value = null!;
        return false;
    }

    public void Set(string name, Value value) => _variables[name] = value;

    /// <summary>Forgets this level's bindings so a loop can reuse it for its next iteration.</summary>
    public void Clear() => _variables.Clear();
}
