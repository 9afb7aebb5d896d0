using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;

namespace Microsoft.ML.Kto.Generation;

/// <summary>Reads the decoding settings of a Hugging Face <c>generation_config.json</c> into <see cref="GenerationOptions"/>.</summary>
internal static class GenerationConfigReader
{
    public static GenerationOptions Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No generation config at '{path}'.", path);
        }

        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ModelFormatException($"'{path}' is not valid JSON: {e.Message}"); }
        var json = node as JsonObject ?? throw new ModelFormatException($"'{path}' must hold a JSON object.");

        var defaults = new GenerationOptions();
        return new GenerationOptions
        {
            MaxNewTokens = Number<int>(json, "max_new_tokens", path) ?? defaults.MaxNewTokens,
            DoSample = Bool(json, "do_sample", path) ?? defaults.DoSample,
            Temperature = Number<double>(json, "temperature", path) ?? defaults.Temperature,
            // An absent top_k means transformers' default (50); an explicit null turns top-k off.
            TopK = json.ContainsKey("top_k") ? Number<int>(json, "top_k", path) ?? 0 : defaults.TopK,
            TopP = Number<double>(json, "top_p", path) ?? defaults.TopP,
            RepetitionPenalty = Number<double>(json, "repetition_penalty", path) ?? defaults.RepetitionPenalty,
            EosTokenIds = OneOrMany(json, "eos_token_id", path, v => Scalar<int>(v, "eos_token_id", path)),
            PadTokenId = Number<int>(json, "pad_token_id", path),
            StopStrings = OneOrMany(json, "stop_strings", path, v => Scalar<string>(v, "stop_strings", path)) ?? defaults.StopStrings,
        };
    }

    private static T? Number<T>(JsonObject json, string key, string path) where T : struct =>
        json[key] is { } node ? Scalar<T>(node, key, path) : null;

    private static bool? Bool(JsonObject json, string key, string path) =>
        json[key] is { } node ? Scalar<bool>(node, key, path) : null;

    // eos_token_id may be one id or a list of ids; stop_strings one string or a list of strings.
    private static IReadOnlyList<T>? OneOrMany<T>(JsonObject json, string key, string path, Func<JsonNode, T> element) => json[key] switch
    {
        null => null,
        JsonArray array => array.Select(n => element(n ?? throw Wrong(key, path, "null in a list"))).ToArray(),
        var single => [element(single)],
    };

    private static T Scalar<T>(JsonNode node, string key, string path) =>
        node is JsonValue value && value.TryGetValue<T>(out var result) ? result : throw Wrong(key, path, node.ToJsonString());

    private static ModelFormatException Wrong(string key, string path, string found) =>
        new($"{path}: '{key}' holds {found}, which is not a valid value for it.");
}
