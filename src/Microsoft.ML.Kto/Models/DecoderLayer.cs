using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>One pre-norm decoder block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
internal sealed class DecoderLayer
{
    private readonly ModelConfig _config;
    private readonly Tensor _inputNorm;
    private readonly Tensor _postAttentionNorm;
    private readonly Attention _attention;
    private readonly SwiGluMlp _mlp;

    public DecoderLayer(ModelConfig config, int index, Func<string, Tensor?> parameter)
    {
        _config = config;
        var prefix = $"model.layers.{index}.";
        _inputNorm = parameter(prefix + "input_layernorm.weight")!;
        _postAttentionNorm = parameter(prefix + "post_attention_layernorm.weight")!;
        _attention = new Attention(config, index, name => parameter(prefix + "self_attn." + name));
        _mlp = new SwiGluMlp(name => parameter(prefix + "mlp." + name));
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
    {
        var h = x + _attention.Forward(x.RmsNorm(_inputNorm, _config.RmsNormEps), cos, sin, mask, cache);
        return h + _mlp.Forward(h.RmsNorm(_postAttentionNorm, _config.RmsNormEps));
    }
}
