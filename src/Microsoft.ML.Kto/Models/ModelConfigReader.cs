using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>Validating reader of config.json into <see cref="ModelConfig"/>.</summary>
internal static class ModelConfigReader
{
    // Keys that describe the checkpoint or the runtime but not the decoder's arithmetic.
    private static readonly HashSet<string> InformationalKeys =
    [
        "architectures", "transformers_version", "use_cache", "_name_or_path", "hidden_act", "attention_dropout",
        "initializer_range", "bos_token_id", "eos_token_id", "pad_token_id", "torch_dtype", "dtype", "model_type",
        "id2label", "label2id", "return_dict", "output_attentions", "output_hidden_states", "tokenizer_class",
        "task_specific_params", "problem_type", "auto_map", "max_window_layers", "use_sliding_window", "sliding_window",
        "layer_types", "pretraining_tp", "mlp_bias", "attention_bias", "tie_word_embeddings", "rope_scaling",
        "rope_theta", "rope_parameters", "head_dim", "num_key_value_heads", "rms_norm_eps", "vocab_size",
        "max_position_embeddings", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "unsloth_version", "use_mrope", "qkv_bias", "bos_token", "eos_token", "is_decoder", "torchscript",
    ];

    internal static ModelConfig Read(JsonObject json, string origin)
    {
        ModelFormatException Error(string problem) => new($"{origin}: {problem}");

        var modelType = String(json, "model_type") ?? throw Error("missing 'model_type'.");
        if (!ModelConfig.SupportedModelTypes.Contains(modelType))
        {
            throw Error($"model_type '{modelType}' is not supported. Supported: {string.Join(", ", ModelConfig.SupportedModelTypes)}.");
        }

        var unknown = json.Select(p => p.Key).Where(k => !InformationalKeys.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw Error($"unknown key(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}: they may configure a feature this decoder does not implement. " +
                        "Remove them from config.json if they do not change the model's computation.");
        }

        if (String(json, "hidden_act") is { } act && act != "silu")
        {
            throw Error($"hidden_act '{act}' is not supported; these decoders use SwiGLU with 'silu'.");
        }

        if (Int(json, "pretraining_tp") is { } tp && tp != 1)
        {
            throw Error($"pretraining_tp {tp} is not supported; only 1.");
        }

        if (Bool(json, "mlp_bias") == true)
        {
            throw Error("mlp_bias true is not supported.");
        }

        if (Bool(json, "use_mrope") == true)
        {
            throw Error("use_mrope (multimodal rotary) is not supported.");
        }

        var hidden = Required(json, "hidden_size", origin);
        var heads = Required(json, "num_attention_heads", origin);
        var kvHeads = Int(json, "num_key_value_heads") ?? heads;
        if (heads % kvHeads != 0)
        {
            throw Error($"num_attention_heads ({heads}) must be a multiple of num_key_value_heads ({kvHeads}).");
        }

        var headDim = Int(json, "head_dim") ?? hidden / heads;
        if (headDim % 2 != 0)
        {
            throw Error($"head_dim {headDim} must be even for rotary embeddings.");
        }

        var attentionBias = Bool(json, "attention_bias") ?? false;
        var rope = json["rope_parameters"] as JsonObject;
        var ropeTheta = Double(json, "rope_theta") ?? (rope?["rope_theta"] is JsonValue t ? t.GetValue<double>() : 10000);
        var ropeScaling = RopeScaling.Parse(json["rope_scaling"] ?? rope);

        return new ModelConfig
        {
            ModelType = modelType,
            VocabSize = Required(json, "vocab_size", origin),
            HiddenSize = hidden,
            IntermediateSize = Required(json, "intermediate_size", origin),
            NumHiddenLayers = Required(json, "num_hidden_layers", origin),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            RmsNormEps = Double(json, "rms_norm_eps") ?? 1e-6,
            RopeTheta = ropeTheta,
            RopeScaling = ropeScaling,
            MaxPositionEmbeddings = Int(json, "max_position_embeddings") ?? 2048,
            TieWordEmbeddings = Bool(json, "tie_word_embeddings") ?? false,
            QkvBias = modelType == "qwen2" || attentionBias,
            OutputBias = modelType is "llama" or "qwen3" && attentionBias,
            QkNorm = modelType == "qwen3",
            SlidingWindow = SlidingWindowOf(json, modelType),
            TorchDType = (String(json, "torch_dtype") ?? String(json, "dtype")) is { } d ? TorchTypes.ParseDType(d) : ScalarType.Float32,
            InitializerRange = Double(json, "initializer_range") ?? 0.02,
            BosTokenId = Int(json, "bos_token_id"),
            EosTokenIds = Ids(json["eos_token_id"]),
            PadTokenId = Int(json, "pad_token_id"),
            Source = (JsonObject)json.DeepClone(),
        };
    }

    // Qwen2/3 configs carry a window with use_sliding_window false (unused); Mistral uses it when set.
    private static int? SlidingWindowOf(JsonObject json, string modelType)
    {
        var window = Int(json, "sliding_window");
        if (window is null)
        {
            return null;
        }

        var used = modelType == "mistral" || (Bool(json, "use_sliding_window") ?? false);
        return used ? window : null;
    }

    private static IReadOnlyList<int> Ids(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => a.Select(n => n!.GetValue<int>()).ToArray(),
        _ => [node.GetValue<int>()],
    };

    private static int Required(JsonObject json, string key, string origin) =>
        Int(json, key) ?? throw new ModelFormatException($"{origin}: missing '{key}'.");

    private static string? String(JsonObject json, string key) =>
        json[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Int(JsonObject json, string key) =>
        json[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<int>() : null;

    private static double? Double(JsonObject json, string key) =>
        json[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private static bool? Bool(JsonObject json, string key) =>
        json[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;
}
