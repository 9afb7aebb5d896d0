using Microsoft.ML.Jinja.Runtime;

namespace Microsoft.ML.Jinja.Values;

/// <summary>A global function (<c>range</c>, <c>raise_exception</c>) or a method bound to its receiver (<c>s.strip</c>).</summary>
internal sealed class BuiltinFunctionValue(string name, Func<Arguments, RenderContext, Value> invoke) : CallableValue(name)
{
    public override string TypeName => "builtin_function_or_method";

    public override string ToRepr() => $"<built-in function {Name}>";

    public override Value Call(Arguments arguments, RenderContext context) => invoke(arguments, context);
}
