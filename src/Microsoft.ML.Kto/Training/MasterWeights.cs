using Microsoft.ML.Kto.Models;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// bfloat16 training with float32 master weights (what transformers' bf16 mixed precision, DeepSpeed and Megatron give):
/// the model's weights and activations stay bfloat16 for forward and backward, while AdamW updates float32 copies of the
/// trainable parameters and keeps its moments in float32; after each step the bfloat16 weights are the masters rounded.
/// bfloat16 keeps 8 significant bits, so an update below half a weight's spacing (0.2-0.4 % of its magnitude, e.g.
/// every step of 1e-5 on a weight of 0.01) would round away if AdamW wrote into the bfloat16 weight; a master
/// accumulates such updates until the rounded weight moves. Each micro-batch's bfloat16 gradients are added into
/// float32 sums at once and then freed, so accumulation adds in float32 and clipping sees float32 gradients. Masters
/// exist only for parameters that require gradients (frozen ones get no second copy). A float32 or float64 model needs
/// none: then every member passes the model's own parameters through and does nothing else.
/// </summary>
/// <remarks>Device-agnostic: only tensor operations (copy, add, cast), so it runs wherever the model runs.</remarks>
internal sealed class MasterWeights : IDisposable
{
    private readonly (Parameter Model, Parameter Master)[] _pairs;
    private readonly Dictionary<Parameter, Parameter> _masterOf;

    private MasterWeights((Parameter Model, Parameter Master)[] pairs)
    {
        _pairs = pairs;
        _masterOf = pairs.ToDictionary<(Parameter Model, Parameter Master), Parameter, Parameter>(p => p.Model, p => p.Master, ReferenceEqualityComparer.Instance);
    }

    /// <summary>Float32 masters of <paramref name="model"/>'s parameters that require gradients when it is bfloat16; none otherwise.</summary>
    public static MasterWeights For(ICausalLM model)
    {
        RequireTrainable(model.DType);
        if (model.DType != ScalarType.BFloat16)
        {
            return new MasterWeights([]);
        }

        using var noGrad = no_grad();
        var pairs = model.Module.parameters().Where(p => p.requires_grad).Select(p =>
        {
            var master = ModuleParameters.Empty(p.shape, ScalarType.Float32, p.device);
            master.copy_(p);
            return (p, master);
        });
        return new MasterWeights(pairs.ToArray());
    }

    /// <summary>
    /// Refuses float16 for training. Its 5-bit exponent flushes small gradients to zero unless the loss is scaled
    /// (PyTorch's GradScaler, which transformers uses for fp16), and this trainer does not scale the loss; bfloat16 costs
    /// the same memory with float32's range. float16 models still load and generate.
    /// </summary>
    public static void RequireTrainable(ScalarType dtype)
    {
        if (dtype == ScalarType.Float16)
        {
            throw new ArgumentException(
                "float16 training is not supported: without loss scaling (PyTorch's GradScaler) small float16 gradients underflow to zero. " +
                "Train in bfloat16 (the same memory, float32's range; AdamW keeps float32 master weights) or float32. float16 models can still generate.");
        }
    }

    /// <summary>The tensor the optimizer updates for <paramref name="parameter"/>: its master, or the parameter itself.</summary>
    public Parameter Optimized(Parameter parameter) => _masterOf.TryGetValue(parameter, out var master) ? master : parameter;

    /// <summary>After a micro-batch's backward: adds the bfloat16 gradients into the masters' float32 gradients and frees them.</summary>
    public void AccumulateGradients()
    {
        using var scope = NewDisposeScope();
        foreach (var (model, master) in _pairs)
        {
            if (model.grad is not { } grad)
            {
                continue;
            }

            if (master.grad is { } sum)
            {
                sum.add_(grad);
            }
            else
            {
                master.grad = grad.to(ScalarType.Float32);
            }
            // Freed rather than zeroed: the next backward allocates it afresh, and between micro-batches only the
            // float32 sum holds memory.
            model.grad = null;
        }
    }

    /// <summary>
    /// After the optimizer step: rounds each master into its bfloat16 weight (to nearest even) and frees the master's
    /// gradient, so the float32 sums hold memory only from a backward pass to the step that uses them.
    /// </summary>
    public void FinishStep()
    {
        using var noGrad = no_grad();
        foreach (var (model, master) in _pairs)
        {
            model.copy_(master);
            master.grad = null;
        }
    }

    /// <summary>Frees the masters (and their gradients).</summary>
    public void Dispose()
    {
        foreach (var (_, master) in _pairs)
        {
            master.Dispose();
        }
    }
}
