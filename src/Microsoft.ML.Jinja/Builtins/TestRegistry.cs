using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>jinja2's tests (<c>x is defined</c>, <c>x is string</c>, ...), with Python's type rules (a bool is a number but not an integer).</summary>
internal static class TestRegistry
{
    private static readonly Dictionary<string, TestFunction> Registry = Build();

    public static bool TryGet(string name, out TestFunction test) => Registry.TryGetValue(name, out test!);

    public static bool Exists(string name) => Registry.ContainsKey(name);

    private static Dictionary<string, TestFunction> Build()
    {
        var registry = new Dictionary<string, TestFunction>(StringComparer.Ordinal)
        {
            ["defined"] = Unary(v => v is not UndefinedValue),
            ["undefined"] = Unary(v => v is UndefinedValue),
            ["none"] = Unary(v => v is NoneValue),
            ["boolean"] = Unary(v => v is BooleanValue),
            ["true"] = Unary(v => v is BooleanValue { Value: true }),
            ["false"] = Unary(v => v is BooleanValue { Value: false }),
            ["integer"] = Unary(v => v is IntegerValue),
            ["float"] = Unary(v => v is FloatValue),
            ["number"] = Unary(NumberValue.IsNumber),
            ["string"] = Unary(v => v is StringValue),
            ["mapping"] = Unary(v => v is DictValue),
            ["iterable"] = Unary(v => v.IsIterable),

            // jinja2 checks for len() and __getitem__, which Undefined also has.
            ["sequence"] = Unary(v => v is StringValue or SequenceValue or DictValue or UndefinedValue),
            ["callable"] = Unary(v => v is CallableValue or UndefinedValue),
            ["escaped"] = Unary(_ => false),
            ["lower"] = Unary(v => StringMethods.IsCased(v.ToDisplayString(), char.IsLower, char.IsUpper)),
            ["upper"] = Unary(v => StringMethods.IsCased(v.ToDisplayString(), char.IsUpper, char.IsLower)),
            ["odd"] = Unary(v => Arithmetic.Modulo(v, IntegerValue.Of(2)).Equals(IntegerValue.Of(1))),
            ["even"] = Unary(v => Arithmetic.Modulo(v, IntegerValue.Of(2)).Equals(IntegerValue.Of(0))),
            ["divisibleby"] = Binary("divisibleby", "num", (v, n) => Arithmetic.Modulo(v, n).Equals(IntegerValue.Of(0))),
            ["sameas"] = Binary("sameas", "other", SameAs),
            ["in"] = Binary("in", "seq", (v, seq) => seq.Contains(v)),
            ["filter"] = Unary(v => v is StringValue s && FilterRegistry.Exists(s.Value)),
            ["test"] = Unary(v => v is StringValue s && Exists(s.Value)),
        };
        AddComparison(registry, "==", "eq", "equalto");
        AddComparison(registry, "!=", "ne");
        AddComparison(registry, ">", "gt", "greaterthan");
        AddComparison(registry, ">=", "ge");
        AddComparison(registry, "<", "lt", "lessthan");
        AddComparison(registry, "<=", "le");
        return registry;
    }

    private static void AddComparison(Dictionary<string, TestFunction> registry, string op, params string[] aliases)
    {
        var test = Binary(op, "other", (v, other) => Comparison.Compare(op, v, other));
        registry[op] = test;
        foreach (var alias in aliases)
        {
            registry[alias] = test;
        }
    }

    private static TestFunction Unary(Func<Value, bool> test) => (value, arguments, _) =>
    {
        arguments.Bind("test");
        return test(value);
    };

    private static TestFunction Binary(string name, string parameter, Func<Value, Value, bool> test) => (value, arguments, _) =>
    {
        var other = arguments.Bind(name, parameter)[0] ?? throw new TemplateException($"{name}() missing required argument '{parameter}'");
        return test(value, other);
    };

    /// <summary>Python's <c>is</c>: singletons and small ints compare by value, everything else by identity.</summary>
    private static bool SameAs(Value value, Value other) => value switch
    {
        NoneValue or BooleanValue or UndefinedValue => ReferenceEquals(value, other),
        IntegerValue i when i.Value is >= -5 and <= 256 => other is IntegerValue j && j.Value == i.Value,
        _ => ReferenceEquals(value, other),
    };
}
