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
