using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>Grouped-query self-attention, as Hugging Face's LlamaAttention / Qwen2Attention / Qwen3Attention.</summary>
internal sealed class Attention(ModelConfig config, int layerIndex, Func<string, Tensor?> parameter)
{
    private readonly Tensor _qProj = parameter("q_proj.weight")!;
    private readonly Tensor _kProj = parameter("k_proj.weight")!;
    private readonly Tensor _vProj = parameter("v_proj.weight")!;
    private readonly Tensor _oProj = parameter("o_proj.weight")!;
    private readonly Tensor? _qBias = parameter("q_proj.bias");
    private readonly Tensor? _kBias = parameter("k_proj.bias");
    private readonly Tensor? _vBias = parameter("v_proj.bias");
    private readonly Tensor? _oBias = parameter("o_proj.bias");
    private readonly Tensor? _qNorm = parameter("q_norm.weight");
    private readonly Tensor? _kNorm = parameter("k_norm.weight");
    private readonly double _scale = 1.0 / Math.Sqrt(config.HeadDim);

    public Tensor Forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
    {
        long batch = hidden.Size(0), length = hidden.Size(1);
        var q = Heads(hidden.Linear(_qProj, _qBias), config.NumAttentionHeads, _qNorm);
        var k = Heads(hidden.Linear(_kProj, _kBias), config.NumKeyValueHeads, _kNorm);
        var v = Heads(hidden.Linear(_vProj, _vBias), config.NumKeyValueHeads, null);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(layerIndex, k, v);
        var output = q.Attention(RepeatKv(k), RepeatKv(v), mask, _scale);
        return output.Transpose(1, 2).Reshape(batch, length, config.NumAttentionHeads * config.HeadDim).Linear(_oProj, _oBias);
    }

    // [B, T, heads*D] -> [B, heads, T, D]; Qwen3 normalises each head before rotary embedding.
    private Tensor Heads(Tensor projected, int heads, Tensor? norm)
    {
        var split = projected.View(projected.Size(0), projected.Size(1), heads, config.HeadDim);
        if (norm is not null) split = split.RmsNorm(norm, config.RmsNormEps);
        return split.Transpose(1, 2);
    }

    private Tensor RepeatKv(Tensor kv) => config.KeyValueGroups == 1 ? kv : kv.RepeatInterleave(config.KeyValueGroups, 1);
}
