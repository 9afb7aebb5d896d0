using Microsoft.ML.Kto.Models;
using TorchSharp;
using static TorchSharp.torch;
using AdamW = TorchSharp.Modules.AdamW;
using Parameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// transformers' AdamW parameter groups: weight decay on matrices only, none on biases and normalisation weights
/// (its <c>get_decay_parameter_names</c>), so decay never pulls a norm's scale towards 0.
/// </summary>
internal static class AdamWParameterGroups
{
    /// <summary>(decayed, not decayed) trainable parameters, each in module order.</summary>
    public static (List<(string Name, Parameter Parameter)> Decay, List<(string Name, Parameter Parameter)> NoDecay) Split(nn.Module model)
    {
        var noDecay = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (_, module) in model.named_modules())
        {
            if (module is RmsNorm norm)
            {
                noDecay.Add(norm.Weight);
            }

            if (module is Linear { Bias: { } bias })
            {
                noDecay.Add(bias);
            }
        }
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
        return (trainable.Where(p => !noDecay.Contains(p.parameter)).ToList(), trainable.Where(p => noDecay.Contains(p.parameter)).ToList());
    }

    /// <summary>
    /// TorchSharp's AdamW over the two groups (decayed first), with PyTorch's update rule, updating
    /// <paramref name="optimized"/>(p) for each parameter p: the parameter itself, or its float32 master (<see cref="MasterWeights"/>).
    /// </summary>
    public static AdamW Create(nn.Module model, Func<Parameter, Parameter> optimized, double learningRate, double beta1, double beta2, double eps, double weightDecay)
    {
        var (decay, noDecay) = Split(model);
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay.Select(p => optimized(p.Parameter)), learningRate, beta1, beta2, eps, weightDecay),
            new(noDecay.Select(p => optimized(p.Parameter)), learningRate, beta1, beta2, eps, 0),
        };
        return optim.AdamW(groups, learningRate, beta1, beta2, eps, weightDecay);
    }
}
