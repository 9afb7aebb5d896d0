namespace Microsoft.ML.Jinja.Values;

/// <summary>Anything a template can call: built-in functions and bound methods, macros.</summary>
internal abstract class CallableValue(string name) : Value
{
    public string Name { get; } = name;
}
