using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>
/// The demo's starting point, created rather than downloaded: a byte-level tokenizer (any text encodes) and a small
/// random Llama-architecture decoder, written as a Hugging Face model directory.
/// </summary>
public static class DemoModel
{
    /// <summary>End of text: EOS and padding.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>
    /// Writes tokenizer.json, tokenizer_config.json (with <paramref name="chatTemplate"/> when given), config.json,
    /// generation_config.json and random weights.
    /// </summary>
    public static void Create(string directory, int hiddenSize, int layers, ulong seed, string? chatTemplate = null)
    {
        var vocabSize = ByteLevelTokenizerFiles.Write(directory, merges: [], [EndOfText], eosToken: EndOfText, padToken: EndOfText, chatTemplate);
        var config = new JsonObject
        {
            ["model_type"] = "llama",
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["vocab_size"] = vocabSize,
            ["hidden_size"] = hiddenSize,
            ["intermediate_size"] = hiddenSize * 8 / 3 / 8 * 8,
            ["num_hidden_layers"] = layers,
            ["num_attention_heads"] = hiddenSize / 16,
            ["num_key_value_heads"] = hiddenSize / 32,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["max_position_embeddings"] = 64,
            ["tie_word_embeddings"] = false,
            ["eos_token_id"] = vocabSize - 1,
            ["pad_token_id"] = vocabSize - 1,
            ["torch_dtype"] = "float32",
        };
        using var model = CausalLM.FromConfig(ModelConfig.Parse(config), seed);
        model.SaveTo(directory);
    }
}
