using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>Builds the matcher for a tokenizer.json <c>pattern</c>: <c>{"String": "..."}</c> or <c>{"Regex": "..."}</c>.</summary>
internal static class PatternFactory
{
    private static readonly Dictionary<string, ITextPattern> HandWritten = new(StringComparer.Ordinal)
    {
        [Gpt2WordPattern.Source] = Gpt2WordPattern.Instance,
        [Llama3WordPattern.Llama3Source] = Llama3WordPattern.Llama3,
        [Llama3WordPattern.QwenSource] = Llama3WordPattern.Qwen,
    };

    public static ITextPattern Create(JsonSection pattern)
    {
        if (pattern.TryProperty("String", out var literal))
        {
            var text = literal.GetString();
            return text.Length > 0 ? new LiteralPattern(text) : throw literal.Error("the split string must not be empty");
        }

        if (pattern.TryProperty("Regex", out var regex))
        {
            return CreateRegex(regex);
        }

        throw pattern.Error("expected {\"String\": ...} or {\"Regex\": ...}");
    }

    private static ITextPattern CreateRegex(JsonSection regex)
    {
        var source = regex.GetString();
        if (HandWritten.TryGetValue(source, out var known))
        {
            return known;
        }

        return RegexPattern.Compile(regex);
    }
}
