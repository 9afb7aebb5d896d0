using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>
/// A defined macro (or the <c>caller</c> of a call block). Calling it renders its body in a new scope over the
/// scope it was defined in, with extra arguments exposed as <c>varargs</c> and <c>kwargs</c>.
/// </summary>
internal sealed class MacroValue(string name, MacroSignature signature, IReadOnlyList<Statement> body, Scope closure) : CallableValue(name)
{
    public override string TypeName => "Macro";

    public override string ToRepr() => $"<Macro '{Name}'>";

    public override Value Call(Arguments arguments, RenderContext context)
    {
        using var frame = context.EnterMacro();
        var outer = context.Scope;
        context.Scope = new Scope(closure);
        try
        {
            Bind(arguments, context);
            return new StringValue(context.Capture(body, static (b, c) => Statement.ExecuteAll(b, c)));
        }
        finally
        {
            context.Scope = outer;
        }
    }

    private void Bind(Arguments arguments, RenderContext context)
    {
        var scope = context.Scope;
        var parameters = signature.Parameters;
        var keywords = arguments.Keywords.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            Value value;
            if (i < arguments.Positional.Count)
            {
                value = arguments.Positional[i];
            }
            else if (keywords.Remove(parameter, out var given))
            {
                value = given;
            }
            else if (signature.Defaults.TryGetValue(parameter, out var fallback))
            {
                value = fallback.Evaluate(context);
            }
            else
            {
                value = UndefinedValue.WithHint($"parameter '{parameter}' was not provided");
            }

            scope.Set(parameter, value);
        }

        var caller = keywords.Remove("caller", out var callerValue) ? callerValue : UndefinedValue.Variable("caller");
        scope.Set("caller", caller);
        scope.Set("varargs", new TupleValue(arguments.Positional.Skip(parameters.Count).ToArray()));
        scope.Set("kwargs", new DictValue(keywords.Select(k => new KeyValuePair<Value, Value>(new StringValue(k.Key), k.Value))));
    }
}
