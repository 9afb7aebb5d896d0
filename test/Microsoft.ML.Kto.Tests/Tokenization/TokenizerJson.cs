using System.Text.Json;
using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>Builds small hand-written tokenizer.json documents for component tests.</summary>
internal static class TokenizerJson
{
    /// <summary>A BPE model whose vocabulary is the given tokens, numbered in order.</summary>
    public static string Bpe(IEnumerable<string> vocab, string merges = "[]", string extra = "") =>
        $$"""{"type": "BPE", "vocab": {{JsonSerializer.Serialize(vocab.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i))}}, "merges": {{merges}}{{extra}}}""";

    /// <summary>A BPE model that spells text one character at a time (no merges).</summary>
    public static string CharModel(string characters) => Bpe(characters.Select(c => c.ToString()), extra: """, "unk_token": null""");

    public static string Tokenizer(
        string model,
        string normalizer = "null",
        string preTokenizer = "null",
        string postProcessor = "null",
        string decoder = "null",
        string addedTokens = "[]") =>
        $$"""
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": {{addedTokens}},
         "normalizer": {{normalizer}}, "pre_tokenizer": {{preTokenizer}}, "model": {{model}},
         "post_processor": {{postProcessor}}, "decoder": {{decoder}}}
        """;

    public static string AddedToken(int id, string content, bool special = false, bool lstrip = false, bool rstrip = false, bool singleWord = false, bool normalized = false) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["content"] = content,
            ["single_word"] = singleWord,
            ["lstrip"] = lstrip,
            ["rstrip"] = rstrip,
            ["normalized"] = normalized,
            ["special"] = special,
        });

    /// <summary>A component JSON as the factories see it.</summary>
    public static JsonSection Section(string json, string path = "$.component") =>
        new(JsonDocument.Parse(json).RootElement.Clone(), "tokenizer.json", path);
}
