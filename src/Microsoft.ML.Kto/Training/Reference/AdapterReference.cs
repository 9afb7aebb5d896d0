using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Lora;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Reference;

/// <summary>
/// The reference of LoRA training without a second copy of the weights: the policy itself, scored without gradients
/// with its adapters switched off, which leaves exactly the frozen base model (TRL's <c>null_ref_context</c>, PEFT's
/// <c>disable_adapter()</c>), or with a separate reference adapter switched on instead (TRL's <c>ref_adapter_name</c>).
/// </summary>
public sealed class AdapterReference : IReferenceLogProbs
{
    /// <summary>The reference of <paramref name="policy"/>, which must carry LoRA adapters.</summary>
    /// <param name="policy">The LoRA model being trained.</param>
    /// <param name="referenceAdapter">An adapter of the policy to score with (null: none, the base model).</param>
    public AdapterReference(CausalLM policy, string? referenceAdapter = null)
    {
        var lora = policy.Lora ?? throw new ArgumentException(
            "An adapter reference needs a policy with LoRA adapters (with adapters off, anything else is the policy itself); use a FrozenReferenceModel on a separate copy instead.",
            nameof(policy));
        if (referenceAdapter == LoraModel.DefaultAdapter)
        {
            throw new ArgumentException($"The reference adapter cannot be '{LoraModel.DefaultAdapter}', the adapter being trained.", nameof(referenceAdapter));
        }

        if (referenceAdapter is not null && !lora.Adapters.ContainsKey(referenceAdapter))
        {
            throw new ArgumentException($"The policy has no adapter '{referenceAdapter}'; load it with Lora.LoadAdapter first.", nameof(referenceAdapter));
        }

        Model = policy;
        ReferenceAdapter = referenceAdapter;
    }

    /// <summary>The policy whose frozen part is the reference.</summary>
    public CausalLM Model { get; }

    /// <summary>The adapter switched on for the reference pass, or null for none.</summary>
    public string? ReferenceAdapter { get; }

    /// <inheritdoc/>
    public (Tensor LogProbs, Tensor? KlLogProbs) Compute(KtoBatch batch, bool withKl)
    {
        var lora = Model.Lora ?? throw new InvalidOperationException("The policy's adapters were merged or removed; its reference is gone with them.");
        using var reference = lora.Activate(ReferenceAdapter);
        return FrozenReferenceModel.Score(Model, batch, withKl);
    }
}
