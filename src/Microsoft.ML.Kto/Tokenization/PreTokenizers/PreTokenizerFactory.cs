using Microsoft.ML.Kto.Tokenization.Json;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>Builds the pre-tokenizer described by tokenizer.json's <c>pre_tokenizer</c>.</summary>
internal static class PreTokenizerFactory
{
    public static IPreTokenizer Create(JsonSection json)
    {
        var type = json.ComponentType();
        return type switch
        {
            "ByteLevel" => new ByteLevelPreTokenizer(
                json.OptionalBoolean("add_prefix_space", true), json.OptionalBoolean("use_regex", true)),
            "Split" => new SplitPreTokenizer(
                PatternFactory.Create(json.Property("pattern")),
                ParseBehavior(json.Property("behavior")),
                json.OptionalBoolean("invert", false)),
            "Metaspace" => new MetaspacePreTokenizer(MetaspaceOptions.FromJson(json)),
            "Digits" => new SplitPreTokenizer(
                new CharPredicatePattern(CharPredicates.IsNumeric),
                json.OptionalBoolean("individual_digits", false) ? SplitDelimiterBehavior.Isolated : SplitDelimiterBehavior.Contiguous,
                invert: false),
            "Whitespace" => new SplitPreTokenizer(WordOrSymbolRunPattern.Instance, SplitDelimiterBehavior.Removed, invert: true),
            "WhitespaceSplit" => new SplitPreTokenizer(
                new CharPredicatePattern(CharPredicates.IsWhitespace), SplitDelimiterBehavior.Removed, invert: false),
            "Punctuation" => new SplitPreTokenizer(
                new CharPredicatePattern(CharPredicates.IsPunctuation),
                json.TryProperty("behavior", out var behavior) ? ParseBehavior(behavior) : SplitDelimiterBehavior.Isolated,
                invert: false),
            "Sequence" => new SequencePreTokenizer(json.Property("pretokenizers").Items().Select(Create).ToArray()),
            _ => throw json.Unsupported("pre-tokenizer", type),
        };
    }

    private static SplitDelimiterBehavior ParseBehavior(JsonSection json) => json.GetString() switch
    {
        "Removed" => SplitDelimiterBehavior.Removed,
        "Isolated" => SplitDelimiterBehavior.Isolated,
        "MergedWithPrevious" => SplitDelimiterBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitDelimiterBehavior.MergedWithNext,
        "Contiguous" => SplitDelimiterBehavior.Contiguous,
        var other => throw json.Error($"unknown split behavior '{other}'"),
    };
}
