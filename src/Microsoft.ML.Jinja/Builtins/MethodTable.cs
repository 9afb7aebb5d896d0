using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>The Python methods of one receiver type, bound on attribute access (<c>s.strip</c> yields a callable).</summary>
internal sealed class MethodTable<TReceiver>(IReadOnlyDictionary<string, Func<TReceiver, Arguments, Value>> methods, IReadOnlySet<string> mutating)
    where TReceiver : Value
{
    public bool TryBind(TReceiver receiver, string name, out Value member)
    {
        if (methods.TryGetValue(name, out var method))
        {
            member = new BuiltinFunctionValue(name, (arguments, _) => method(receiver, arguments));
            return true;
        }

        // The immutable sandbox still lets templates see mutating methods, but calling one fails.
        member = mutating.Contains(name) ? MemberAccess.Unsafe(receiver, name) : null!;
        return member is not null;
    }
}
