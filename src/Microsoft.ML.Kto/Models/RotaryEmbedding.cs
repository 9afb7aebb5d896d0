using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>Rotary position embedding (RoPE) in Hugging Face's rotate-half layout.</summary>
internal sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _inverseFrequencies; // float32 [head_dim / 2]

    public RotaryEmbedding(ModelConfig config, Device device)
    {
        var inv = RopeScaling.InverseFrequencies(config.HeadDim, config.RopeTheta, config.RopeScaling).Select(f => (float)f).ToArray();
        _inverseFrequencies = Tensor.From<float>(inv, [inv.Length], device).DetachFromDisposeScope();
    }

    /// <summary>cos and sin [B, T, head_dim] for position ids [B, T]; computed in float32 and cast to <paramref name="dtype"/>, as HF does.</summary>
    public (Tensor Cos, Tensor Sin) For(Tensor positionIds, DType dtype)
    {
        var freqs = positionIds.To(DType.Float32).Unsqueeze(-1) * _inverseFrequencies;
        var angles = Tensor.Cat([freqs, freqs], -1);
        return (angles.Cos().To(dtype), angles.Sin().To(dtype));
    }

    /// <summary>x·cos + rotate_half(x)·sin for x [B, heads, T, head_dim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.Size(-1) / 2;
        var rotated = Tensor.Cat([-x.Narrow(-1, half, half), x.Narrow(-1, 0, half)], -1);
        return x * cos.Unsqueeze(1) + rotated * sin.Unsqueeze(1);
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}
