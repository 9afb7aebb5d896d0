using Microsoft.ML.Kto.Models;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Reference;

/// <summary>A frozen model scored without gradients: TRL's explicit <c>ref_model</c>, or its copy of the initial policy.</summary>
public sealed class FrozenReferenceModel : IReferenceLogProbs
{
    /// <summary>Freezes <paramref name="model"/> (its parameters stop collecting gradients).</summary>
    public FrozenReferenceModel(ICausalLM model)
    {
        Model = model;
        model.SetRequiresGrad(false);
    }

    /// <summary>The reference model.</summary>
    public ICausalLM Model { get; }

    /// <summary>
    /// TR-DPO's reference update, as TRL's <c>SyncRefModelCallback</c>: every parameter becomes
    /// α·policy + (1 − α)·itself, in place, the policy's parameter matched by name.
    /// </summary>
    public void MixIn(ICausalLM policy, double alpha)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (target, source) in ParameterPairs(policy))
        {
            target.mul_(1 - alpha).add_(source, alpha);
        }
    }

    /// <summary>Each reference parameter with the policy's of the same name; throws unless both models have the same names and shapes.</summary>
    internal List<(Tensor Reference, Tensor Policy)> ParameterPairs(ICausalLM policy)
    {
        var policyParameters = policy.Module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        var pairs = new List<(Tensor, Tensor)>();
        foreach (var (name, parameter) in Model.Module.named_parameters())
        {
            if (!policyParameters.Remove(name, out var source) || !source.shape.SequenceEqual(parameter.shape))
            {
                throw new ArgumentException($"The reference model cannot be synced with the policy: the policy has no parameter '{name}' of shape [{string.Join(", ", parameter.shape)}]. SyncRefModel needs both to be the same architecture.");
            }

            pairs.Add((parameter, source));
        }
        if (policyParameters.Count > 0)
        {
            throw new ArgumentException($"The reference model cannot be synced with the policy: the reference has no parameter '{policyParameters.Keys.First()}'. SyncRefModel needs both to be the same architecture.");
        }

        return pairs;
    }

    /// <inheritdoc/>
    public (Tensor LogProbs, Tensor? KlLogProbs) Compute(KtoBatch batch, bool withKl) => Score(Model, batch, withKl);

    /// <summary>A model's log-probs of the batch's completions (and KL sequences), without gradients.</summary>
    internal static (Tensor LogProbs, Tensor? KlLogProbs) Score(ICausalLM model, KtoBatch batch, bool withKl)
    {
        using var noGrad = no_grad();
        var logProbs = CompletionLogProbs.Compute(model, batch.InputIds, batch.AttentionMask, batch.CompletionMask).LogProbs;
        var kl = withKl ? CompletionLogProbs.Compute(model, batch.KlInputIds!, batch.KlAttentionMask!, batch.KlCompletionMask!).LogProbs : null;
        return (logProbs, kl);
    }
}
