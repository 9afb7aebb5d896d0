using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>The SwiGLU feed-forward block: down(silu(gate(x)) * up(x)).</summary>
internal sealed class SwiGluMlp(Func<string, Tensor?> parameter)
{
    private readonly Tensor _gate = parameter("gate_proj.weight")!;
    private readonly Tensor _up = parameter("up_proj.weight")!;
    private readonly Tensor _down = parameter("down_proj.weight")!;

    public Tensor Forward(Tensor x) => (x.Linear(_gate).Silu() * x.Linear(_up)).Linear(_down);
}
