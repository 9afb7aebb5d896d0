using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// The architecture facts of a Hugging Face <c>config.json</c> for the decoder families this library
/// implements (llama, mistral, qwen2, qwen3). Keys that would change the computation in ways the
/// decoder does not implement are rejected with a message that names them.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Model families with a decoder implementation here.</summary>
    public static readonly IReadOnlySet<string> SupportedModelTypes = new HashSet<string> { "llama", "mistral", "qwen2", "qwen3" };

    /// <summary><c>model_type</c>.</summary>
    public required string ModelType { get; init; }
    /// <summary><c>vocab_size</c>.</summary>
    public required int VocabSize { get; init; }
    /// <summary><c>hidden_size</c>.</summary>
    public required int HiddenSize { get; init; }
    /// <summary><c>intermediate_size</c> (SwiGLU width).</summary>
    public required int IntermediateSize { get; init; }
    /// <summary><c>num_hidden_layers</c>.</summary>
    public required int NumHiddenLayers { get; init; }
    /// <summary><c>num_attention_heads</c>.</summary>
    public required int NumAttentionHeads { get; init; }
    /// <summary><c>num_key_value_heads</c> (grouped-query attention; equals the head count for multi-head attention).</summary>
    public required int NumKeyValueHeads { get; init; }
    /// <summary><c>head_dim</c> (defaults to hidden_size / num_attention_heads).</summary>
    public required int HeadDim { get; init; }
    /// <summary><c>rms_norm_eps</c>.</summary>
    public double RmsNormEps { get; init; } = 1e-6;
    /// <summary><c>rope_theta</c>.</summary>
    public double RopeTheta { get; init; } = 10000;
    /// <summary><c>rope_scaling</c>, null for none.</summary>
    public RopeScaling? RopeScaling { get; init; }
    /// <summary><c>max_position_embeddings</c>.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;
    /// <summary><c>tie_word_embeddings</c>: the LM head reuses the input embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Bias on q/k/v projections (Qwen2 always; Llama with <c>attention_bias</c>).</summary>
    public bool QkvBias { get; init; }
    /// <summary>Bias on the output projection (Llama and Qwen3 with <c>attention_bias</c>, as HF).</summary>
    public bool OutputBias { get; init; }
    /// <summary>Per-head RMSNorm of queries and keys before rotary embedding (Qwen3).</summary>
    public bool QkNorm { get; init; }
    /// <summary>Sliding-window attention size when the model uses it, else null.</summary>
    public int? SlidingWindow { get; init; }
    /// <summary><c>torch_dtype</c> / <c>dtype</c> the weights were saved in.</summary>
    public ScalarType TorchDType { get; init; } = ScalarType.Float32;
    /// <summary><c>initializer_range</c>: std of random initialisation.</summary>
    public double InitializerRange { get; init; } = 0.02;
    /// <summary><c>bos_token_id</c>.</summary>
    public int? BosTokenId { get; init; }
    /// <summary><c>eos_token_id</c> (one or several).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// <summary><c>pad_token_id</c>.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>Query heads per key/value head.</summary>
    public int KeyValueGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>The original JSON, kept so that saving preserves keys this record does not model.</summary>
    public JsonObject Source { get; init; } = new();

    /// <summary>Reads <c>config.json</c> from a model directory.</summary>
    public static ModelConfig Load(string directory)
    {
        var path = Path.Combine(directory, "config.json");
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"'{directory}' has no config.json. Point at a Hugging Face model directory (config.json + *.safetensors).");
        }

        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ModelFormatException($"'{path}' is not valid JSON: {e.Message}"); }
        return Parse(node as JsonObject ?? throw new ModelFormatException($"'{path}' must hold a JSON object."), path);
    }

    /// <summary>Parses a config object; <paramref name="origin"/> names it in error messages.</summary>
    public static ModelConfig Parse(JsonObject json, string origin = "config.json") => ModelConfigReader.Read(json, origin);

    /// <summary>The config as Hugging Face writes it, with <c>torch_dtype</c> set to <paramref name="savedDType"/>.</summary>
    public JsonObject ToJson(ScalarType savedDType)
    {
        var json = (JsonObject)Source.DeepClone();
        json["torch_dtype"] = savedDType.ToHuggingFaceName();
        json.Remove("dtype");
        return json;
    }
}
