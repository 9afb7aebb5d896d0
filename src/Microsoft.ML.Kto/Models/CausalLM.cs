using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// A Hugging Face-compatible decoder-only language model (Llama, Mistral, Qwen2, Qwen3 families):
/// embeddings, pre-norm decoder layers with rotary grouped-query attention and SwiGLU, final RMSNorm
/// and an LM head (tied or not). Parameters carry Hugging Face names, so checkpoints load and save as-is.
/// The model owns its parameter tensors.
/// </summary>
public sealed class CausalLM : IDisposable
{
    private readonly Dictionary<string, Tensor> _parameters;
    private readonly DecoderLayer[] _layers;
    private readonly RotaryEmbedding _rotary;
    private readonly Tensor _embedTokens;
    private readonly Tensor _finalNorm;
    private readonly Tensor _lmHead;

    internal CausalLM(ModelConfig config, Dictionary<string, Tensor> parameters, DType dtype, Device device)
    {
        Config = config;
        DType = dtype;
        Device = device;
        _parameters = parameters;
        Tensor? Find(string name) => parameters.GetValueOrDefault(name);
        _embedTokens = parameters["model.embed_tokens.weight"];
        _finalNorm = parameters["model.norm.weight"];
        _lmHead = config.TieWordEmbeddings ? _embedTokens : parameters["lm_head.weight"];
        _layers = Enumerable.Range(0, config.NumHiddenLayers).Select(i => new DecoderLayer(config, i, Find)).ToArray();
        _rotary = new RotaryEmbedding(config, device);
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>Element type of the parameters.</summary>
    public DType DType { get; }

    /// <summary>Where the parameters live.</summary>
    public Device Device { get; }

    /// <summary>Parameters by Hugging Face name, in <see cref="ParameterLayout"/> order.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters => _parameters;

    /// <summary>Loads a Hugging Face model directory (config.json + safetensors); see <see cref="ModelLoader"/>.</summary>
    public static CausalLM FromPretrained(string directory, DType dtype = DType.Float32, Device? device = null) =>
        ModelLoader.Load(directory, dtype, device ?? Torch.Device.Cpu);

    /// <summary>A randomly initialised model (HF's init: matrices N(0, initializer_range), norms 1, biases 0).</summary>
    public static CausalLM FromConfig(ModelConfig config, ulong seed, DType dtype = DType.Float32, Device? device = null) =>
        ModelLoader.Initialize(config, seed, dtype, device ?? Torch.Device.Cpu);

    /// <summary>Writes config.json, generation_config.json and model.safetensors in Hugging Face layout.</summary>
    public void SaveTo(string directory, DType? dtype = null) => ModelWriter.Save(this, directory, dtype ?? DType);

    /// <summary>Sets whether the parameters collect gradients (training) or not (reference model, inference).</summary>
    public void SetRequiresGrad(bool requiresGrad)
    {
        foreach (var p in _parameters.Values) p.RequiresGrad = requiresGrad;
    }

    /// <summary>
    /// Final hidden states [B, T, hidden] for token ids [B, T]. <paramref name="attentionMask"/> [B, past+T]
    /// marks real tokens (1) and padding (0), left or right; with a <paramref name="cache"/>, the ids are
    /// the new tokens only and the mask covers past and new ones.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
    {
        long batch = inputIds.Size(0), length = inputIds.Size(1);
        var past = cache?.Length ?? 0;
        if (Config.SlidingWindow is { } window && past + length > window)
            throw new NotSupportedException(
                $"This {Config.ModelType} model uses sliding-window attention ({window} tokens), which is not implemented; sequences up to {window} tokens are exact. Shorten the input (MaxLength <= {window}).");
        var positions = AttentionMask.PositionIds(attentionMask, batch, length, past, Device);
        var mask = AttentionMask.Additive(attentionMask, batch, length, past, DType, Device);
        var (cos, sin) = _rotary.For(positions, DType);
        var hidden = _embedTokens.Embedding(inputIds);
        // A scope per layer frees each layer's intermediates as soon as it is done (autograd keeps what backward
        // needs through its own references), so peak memory is one layer's temporaries rather than all of them.
        foreach (var layer in _layers)
        {
            using var scope = DisposeScope.Open();
            hidden = scope.MoveToOuter(layer.Forward(hidden, cos, sin, mask, cache));
        }
        return hidden.RmsNorm(_finalNorm, Config.RmsNormEps);
    }

    /// <summary>Logits [..., vocab] of hidden states (the LM head alone, so callers apply it only where needed).</summary>
    public Tensor LmHead(Tensor hidden) => hidden.Linear(_lmHead);

    /// <summary>Logits [B, T, vocab] for every position.</summary>
    public Tensor Logits(Tensor inputIds, Tensor? attentionMask = null) => LmHead(Forward(inputIds, attentionMask));

    /// <summary>Frees the parameters.</summary>
    public void Dispose()
    {
        foreach (var p in _parameters.Values) p.Dispose();
        _rotary.Dispose();
    }
}
