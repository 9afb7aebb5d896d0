using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>Builds the exceptions jinja2/Python raise, worded like Python so callers see familiar messages.</summary>
internal static class TemplateErrors
{
    public static TemplateException NotIterable(Value value) =>
        new($"'{value.TypeName}' object is not iterable");

    public static TemplateException NotCallable(Value value) =>
        new($"'{value.TypeName}' object is not callable");

    public static TemplateException NoLength(Value value) =>
        new($"object of type '{value.TypeName}' has no len()");

    public static TemplateException UnsupportedOperands(string op, Value left, Value right) =>
        new($"unsupported operand type(s) for {op}: '{left.TypeName}' and '{right.TypeName}'");

    public static TemplateException NotComparable(string op, Value left, Value right) =>
        new($"'{op}' not supported between instances of '{left.TypeName}' and '{right.TypeName}'");

    public static TemplateException BadUnaryOperand(string op, Value operand) =>
        new($"bad operand type for unary {op}: '{operand.TypeName}'");

    public static TemplateException Unhashable(Value value) => new($"unhashable type: '{value.TypeName}'");

    public static TemplateException WrongArgument(string function, string message) => new($"{function}() {message}");

    public static TemplateException UnexpectedKeyword(string function, string name) =>
        new($"{function}() got an unexpected keyword argument '{name}'");

    public static TemplateException TooManyPositional(string function, int max, int given) =>
        new($"{function}() takes at most {max} positional argument{(max == 1 ? "" : "s")} ({given} given)");

    public static TemplateException Unpack(int expected, int got) =>
        got < expected
            ? new($"not enough values to unpack (expected {expected}, got {got})")
            : new($"too many values to unpack (expected {expected})");

    public static TemplateException NotJsonSerializable(Value value) =>
        new($"Object of type {value.TypeName} is not JSON serializable");

    public static TemplateException Overflow() => new("integer overflow: value exceeds 64-bit range");
}
