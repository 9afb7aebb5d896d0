using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Runtime;

/// <summary>The evaluated arguments of a call, filter or test, bound to parameters with Python's rules.</summary>
internal sealed class Arguments(IReadOnlyList<Value> positional, IReadOnlyList<KeyValuePair<string, Value>> keywords)
{
    public static readonly Arguments Empty = new([], []);

    public IReadOnlyList<Value> Positional { get; } = positional;

    public IReadOnlyList<KeyValuePair<string, Value>> Keywords { get; } = keywords;

    /// <summary>
    /// Binds to a signature <c>function(p0, p1, ...)</c>: positional arguments first, then keywords by name.
    /// Parameters not supplied are null so callers apply their own Python defaults.
    /// </summary>
    public Value?[] Bind(string function, params ReadOnlySpan<string> parameters)
    {
        if (Positional.Count > parameters.Length)
        {
            throw TemplateErrors.TooManyPositional(function, parameters.Length, Positional.Count);
        }

        var bound = new Value?[parameters.Length];
        for (var i = 0; i < Positional.Count; i++)
        {
            bound[i] = Positional[i];
        }

        foreach (var (name, value) in Keywords)
        {
            var index = parameters.IndexOf(name);
            if (index < 0)
            {
                throw TemplateErrors.UnexpectedKeyword(function, name);
            }

            if (bound[index] is not null)
            {
                throw TemplateErrors.WrongArgument(function, $"got multiple values for argument '{name}'");
            }

            bound[index] = value;
        }

        return bound;
    }

    /// <summary>The keyword arguments as a dict, for <c>namespace(...)</c> and <c>dict(...)</c>.</summary>
    public IEnumerable<KeyValuePair<Value, Value>> KeywordPairs() =>
        Keywords.Select(k => new KeyValuePair<Value, Value>(new StringValue(k.Key), k.Value));
}
