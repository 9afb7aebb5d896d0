using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization.Models;

/// <summary>Builds the model described by tokenizer.json's <c>model</c>; only BPE is supported.</summary>
internal static class ModelFactory
{
    public static BpeModel Create(JsonSection json)
    {
        // Files written by old versions of tokenizers omit the type of BPE models.
        var type = json.TryProperty("type", out var typeJson) ? typeJson.GetString()
            : json.TryProperty("merges", out _) ? "BPE"
            : throw json.Error("the model has no type");
        return type == "BPE" ? BpeModel.FromJson(json) : throw json.Unsupported("model", type);
    }
}
