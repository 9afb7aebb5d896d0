using Microsoft.ML.Kto.Models.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

// The decoder of the Llama / Mistral / Qwen2 / Qwen3 families as TorchSharp modules, in the order of Hugging Face's
// modeling_qwen3.py. Modules register their children and parameters under HF's attribute names, so
// named_parameters() yields "model.layers.0.self_attn.q_proj.weight" and the module tree is the one list of names
// that loading, saving, initialisation and checkpoints walk. Parameters are created uninitialised (torch.empty):
// a checkpoint or ModelInitializer fills them, so loading touches each weight once.

/// <summary>
/// Creates the modules' parameters (and the trainer's float32 master weights): uninitialised, owned by their module or
/// the masters (never by an open dispose scope, which would free them when it closes), and counted, because TorchSharp
/// 0.107's <c>Parameter</c> constructor moves the tensor's handle without decrementing <c>Tensor.TotalCount</c>, so
/// every parameter ever made stays in that count.
/// </summary>
internal static class ModuleParameters
{
    private static long CreatedCount;

    /// <summary>Parameters created so far in this process (see <see cref="TorchRuntime.LiveTensors"/>).</summary>
    public static long Created => Interlocked.Read(ref CreatedCount);

    public static Parameter Empty(long[] shape, ScalarType dtype, Device device)
    {
        var parameter = new Parameter(empty(shape, dtype, device).DetachFromDisposeScope());
        Interlocked.Increment(ref CreatedCount);
        return parameter;
    }
}

/// <summary>A linear layer y = x Wᵀ + b with HF's names (<c>weight</c> [out, in], optional <c>bias</c>).</summary>
public sealed class Linear : nn.Module
{
    /// <summary>Creates the layer.</summary>
    public Linear(long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(nameof(Linear))
    {
        Weight = ModuleParameters.Empty([outFeatures, inFeatures], dtype, device);
        register_parameter("weight", Weight);
        if (!hasBias)
        {
            return;
        }

        Bias = ModuleParameters.Empty([outFeatures], dtype, device);
        register_parameter("bias", Bias);
    }

    /// <summary>[out, in].</summary>
    public Parameter Weight { get; }
    /// <summary>[out], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>LoRA adapters that <see cref="LoraModel"/> attached (null on a plain model).</summary>
    internal LoraLinear? Lora { get; set; }

    /// <summary>Trainable copies that <see cref="LoraModel"/> attached for its modules to save (null on a plain model).</summary>
    internal ModuleCopies<Linear>? Copies { get; set; }

    /// <summary>x Wᵀ + b, plus the active LoRA adapter's update; the active trainable copy's output instead when there is one.</summary>
    public Tensor Forward(Tensor x)
    {
        if (Copies?.Active is { } copy)
        {
            return copy.Forward(x);
        }

        var y = nn.functional.linear(x, Weight, Bias);
        return Lora is null ? y : Lora.AddUpdate(y, x);
    }
}

/// <summary>Token embeddings (<c>weight</c> [vocab, hidden]).</summary>
public sealed class Embedding : nn.Module
{
    /// <summary>Creates the table.</summary>
    public Embedding(long vocabSize, long hiddenSize, ScalarType dtype, Device device) : base(nameof(Embedding))
    {
        Weight = ModuleParameters.Empty([vocabSize, hiddenSize], dtype, device);
        register_parameter("weight", Weight);
    }

    /// <summary>[vocab, hidden].</summary>
    public Parameter Weight { get; }

    /// <summary>A trainable copy that <see cref="LoraModel"/> attached for its modules to save (null on a plain model).</summary>
    internal ModuleCopies<Embedding>? Copies { get; set; }

    /// <summary>Rows of the table for ids [B, T] -> [B, T, hidden] (of the active trainable copy when there is one).</summary>
    public Tensor Forward(Tensor ids)
    {
        if (Copies?.Active is { } copy)
        {
            return copy.Forward(ids);
        }

        long[] shape = [.. ids.shape, Weight.shape[1]];
        return Weight.index_select(0, ids.reshape(-1)).view(shape);
    }
}

/// <summary>RMSNorm as HF's <c>Qwen3RMSNorm</c>: normalised in float32, cast back, then scaled by <c>weight</c>.</summary>
public sealed class RmsNorm : nn.Module
{
    private readonly double _eps;

    /// <summary>Creates the norm over the last dimension of size <paramref name="size"/>.</summary>
    public RmsNorm(long size, double eps, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        _eps = eps;
        Weight = ModuleParameters.Empty([size], dtype, device);
        register_parameter("weight", Weight);
    }

    /// <summary>[size].</summary>
    public Parameter Weight { get; }

    /// <summary>weight * (x / sqrt(mean(x²) + eps)).</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = x.to(ScalarType.Float32);
        var variance = hidden.pow(2).mean([-1], keepdim: true);
        hidden = hidden * rsqrt(variance + _eps);
        return (Weight * hidden.to(x.dtype)).MoveToOuterDisposeScope();
    }
}

/// <summary>Rotary position embedding (RoPE) in HF's rotate-half layout; frequencies from <see cref="RopeScaling"/>.</summary>
internal sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _inverseFrequencies; // float32 [head_dim / 2]; HF's non-persistent buffer, not a parameter

    public RotaryEmbedding(ModelConfig config, Device device)
    {
        var inv = RopeScaling.InverseFrequencies(config.HeadDim, config.RopeTheta, config.RopeScaling).Select(f => (float)f).ToArray();
        _inverseFrequencies = tensor(inv, device: device).DetachFromDisposeScope();
    }

    /// <summary>cos and sin [B, T, head_dim] for position ids [B, T]; computed in float32 and cast to <paramref name="dtype"/>, as HF does.</summary>
    public (Tensor Cos, Tensor Sin) For(Tensor positionIds, ScalarType dtype)
    {
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * _inverseFrequencies;
        var angles = cat([freqs, freqs], -1);
        return (angles.cos().to(dtype), angles.sin().to(dtype));
    }

    /// <summary>x·cos + rotate_half(x)·sin for x [B, heads, T, head_dim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1);
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}

/// <summary>Grouped-query self-attention (HF's Llama/Qwen2/Qwen3 attention) through <c>scaled_dot_product_attention</c>.</summary>
public sealed class Attention : nn.Module
{
    private readonly ModelConfig _config;
    private readonly int _layerIndex;
    private readonly Linear _qProj, _kProj, _vProj, _oProj;
    private readonly RmsNorm? _qNorm, _kNorm;

    internal Attention(ModelConfig config, int layerIndex, ScalarType dtype, Device device) : base(nameof(Attention))
    {
        _config = config;
        _layerIndex = layerIndex;
        long q = config.NumAttentionHeads * config.HeadDim, kv = config.NumKeyValueHeads * config.HeadDim;
        register_module("q_proj", _qProj = new Linear(config.HiddenSize, q, config.QkvBias, dtype, device));
        register_module("k_proj", _kProj = new Linear(config.HiddenSize, kv, config.QkvBias, dtype, device));
        register_module("v_proj", _vProj = new Linear(config.HiddenSize, kv, config.QkvBias, dtype, device));
        register_module("o_proj", _oProj = new Linear(q, config.HiddenSize, config.OutputBias, dtype, device));
        if (!config.QkNorm)
        {
            return;
        }

        register_module("q_norm", _qNorm = new RmsNorm(config.HeadDim, config.RmsNormEps, dtype, device));
        register_module("k_norm", _kNorm = new RmsNorm(config.HeadDim, config.RmsNormEps, dtype, device));
    }

    internal Tensor Forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
    {
        long batch = hidden.shape[0], length = hidden.shape[1];
        var q = RotaryEmbedding.Apply(Heads(_qProj.Forward(hidden), _config.NumAttentionHeads, _qNorm), cos, sin);
        var k = RotaryEmbedding.Apply(Heads(_kProj.Forward(hidden), _config.NumKeyValueHeads, _kNorm), cos, sin);
        var v = Heads(_vProj.Forward(hidden), _config.NumKeyValueHeads, null);
        if (cache is not null)
        {
            (k, v) = cache.Append(_layerIndex, k, v);
        }
        // The default scale of scaled_dot_product_attention, 1/sqrt(head_dim), is HF's scaling.
        var output = nn.functional.scaled_dot_product_attention(q, RepeatKv(k), RepeatKv(v), mask);
        return _oProj.Forward(output.transpose(1, 2).reshape(batch, length, _config.NumAttentionHeads * _config.HeadDim));
    }

    // [B, T, heads*D] -> [B, heads, T, D]; Qwen3 normalises each head before rotary embedding.
    private Tensor Heads(Tensor projected, int heads, RmsNorm? norm)
    {
        var split = projected.view(projected.shape[0], projected.shape[1], heads, _config.HeadDim);
        if (norm is not null)
        {
            split = norm.Forward(split);
        }

        return split.transpose(1, 2);
    }

    private Tensor RepeatKv(Tensor kv) => _config.KeyValueGroups == 1 ? kv : kv.repeat_interleave(_config.KeyValueGroups, 1);
}

/// <summary>The SwiGLU feed-forward block: down(silu(gate(x)) * up(x)).</summary>
public sealed class Mlp : nn.Module
{
    private readonly Linear _gateProj, _upProj, _downProj;

    internal Mlp(ModelConfig config, ScalarType dtype, Device device) : base(nameof(Mlp))
    {
        register_module("gate_proj", _gateProj = new Linear(config.HiddenSize, config.IntermediateSize, false, dtype, device));
        register_module("up_proj", _upProj = new Linear(config.HiddenSize, config.IntermediateSize, false, dtype, device));
        register_module("down_proj", _downProj = new Linear(config.IntermediateSize, config.HiddenSize, false, dtype, device));
    }

    internal Tensor Forward(Tensor x) => _downProj.Forward(nn.functional.silu(_gateProj.Forward(x)) * _upProj.Forward(x));
}

/// <summary>One pre-norm decoder block: h = x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class DecoderLayer : nn.Module
{
    private readonly Attention _selfAttn;
    private readonly Mlp _mlp;
    private readonly RmsNorm _inputLayernorm, _postAttentionLayernorm;

    internal DecoderLayer(ModelConfig config, int index, ScalarType dtype, Device device) : base(nameof(DecoderLayer))
    {
        register_module("self_attn", _selfAttn = new Attention(config, index, dtype, device));
        register_module("mlp", _mlp = new Mlp(config, dtype, device));
        register_module("input_layernorm", _inputLayernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device));
        register_module("post_attention_layernorm", _postAttentionLayernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device));
    }

    internal Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
    {
        var h = x + _selfAttn.Forward(_inputLayernorm.Forward(x), cos, sin, mask, cache);
        return h + _mlp.Forward(_postAttentionLayernorm.Forward(h));
    }
}

/// <summary>The decoder stack (HF's <c>Qwen3Model</c>): embeddings, layers, final norm; returns hidden states.</summary>
public sealed class DecoderModel : nn.Module
{
    private readonly ModelConfig _config;
    private readonly DecoderLayer[] _layers;
    private readonly RmsNorm _norm;
    private readonly RotaryEmbedding _rotary;

    internal DecoderModel(ModelConfig config, ScalarType dtype, Device device) : base(nameof(DecoderModel))
    {
        _config = config;
        register_module("embed_tokens", EmbedTokens = new Embedding(config.VocabSize, config.HiddenSize, dtype, device));
        _layers = Enumerable.Range(0, config.NumHiddenLayers).Select(i => new DecoderLayer(config, i, dtype, device)).ToArray();
        register_module("layers", nn.ModuleList(_layers));
        register_module("norm", _norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device));
        _rotary = new RotaryEmbedding(config, device);
    }

    /// <summary>The input embeddings (also the LM head when embeddings are tied).</summary>
    public Embedding EmbedTokens { get; }

    /// <summary>Recompute each layer's activations in backward (<see cref="ActivationCheckpoint"/>) when training.</summary>
    internal bool GradientCheckpointing { get; set; }

    internal Tensor Forward(Tensor inputIds, Tensor? attentionMask, KvCache? cache, ScalarType dtype, Device device)
    {
        long batch = inputIds.shape[0], length = inputIds.shape[1];
        var past = cache?.Length ?? 0;
        if (_config.SlidingWindow is { } window && past + length > window)
        {
            throw new NotSupportedException(
                $"This {_config.ModelType} model uses sliding-window attention ({window} tokens), which is not implemented; sequences up to {window} tokens are exact. Shorten the input (MaxLength <= {window}).");
        }

        var positions = AttentionMask.PositionIds(attentionMask, batch, length, past, device);
        var mask = AttentionMask.Additive(attentionMask, batch, length, past, dtype, device);
        var (cos, sin) = _rotary.For(positions, dtype);
        var hidden = EmbedTokens.Forward(inputIds);
        // A scope per layer frees each layer's intermediates as soon as it is done (autograd keeps what backward
        // needs through its own references), so peak memory is one layer's temporaries rather than all of them.
        // The cache is generation's, which never runs backward; ActivationCheckpoint itself makes the plain call in
        // passes without gradients (KL, reference, evaluation).
        var checkpoint = GradientCheckpointing && cache is null;
        foreach (var layer in _layers)
        {
            using var scope = NewDisposeScope();
            hidden = (checkpoint
                ? ActivationCheckpoint.Apply(layer, inputs => layer.Forward(inputs[0]!, inputs[1]!, inputs[2]!, inputs[3], null), hidden, cos, sin, mask)
                : layer.Forward(hidden, cos, sin, mask, cache)).MoveToOuterDisposeScope();
        }
        return _norm.Forward(hidden);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// A Hugging Face-compatible decoder-only language model (HF's <c>Qwen3ForCausalLM</c> and its Llama, Mistral and
/// Qwen2 siblings): the decoder registered as <c>model</c> and the LM head as <c>lm_head</c> (absent when the
/// embeddings are tied, as in HF's checkpoints).
/// </summary>
public sealed partial class CausalLM : nn.Module, ICausalLM
{
    private readonly DecoderModel _model;
    private readonly Linear? _lmHead;

    private CausalLM(ModelConfig config, ScalarType dtype, Device device) : base(nameof(CausalLM))
    {
        Config = config;
        DType = dtype;
        Device = device;
        register_module("model", _model = new DecoderModel(config, dtype, device));
        if (!config.TieWordEmbeddings)
        {
            register_module("lm_head", _lmHead = new Linear(config.HiddenSize, config.VocabSize, false, dtype, device));
        }
    }

    /// <summary>
    /// Final hidden states [B, T, hidden] for token ids [B, T]. <paramref name="attentionMask"/> [B, past+T]
    /// marks real tokens (1) and padding (0), left or right; with a <paramref name="cache"/>, the ids are
    /// the new tokens only and the mask covers past and new ones.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null) =>
        _model.Forward(inputIds, attentionMask, cache, DType, Device);

    /// <inheritdoc/>
    /// <remarks>
    /// An untied head listed in <see cref="LoraOptions.ModulesToSave"/> is its trainable copy while the adapter is active.
    /// A tied head stays the original embedding matrix even when embed_tokens has a copy, as in PEFT, whose copy replaces
    /// only the input embeddings.
    /// </remarks>
    public Tensor LmHeadWeight => _lmHead is null ? _model.EmbedTokens.Weight : (_lmHead.Copies?.Active ?? _lmHead).Weight;
}
