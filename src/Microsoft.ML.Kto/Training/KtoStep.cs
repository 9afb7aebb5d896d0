using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training.Losses;
using Microsoft.ML.Kto.Training.Reference;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// One micro-batch of KTO: policy log-probs of the completions (with gradients), policy log-probs of the KL pairs
/// (without), reference log-probs, the KL reference point, the loss and, when training, its backward pass.
/// </summary>
internal sealed class KtoStep(ICausalLM policy, IReferenceLogProbs reference, KtoLoss loss)
{
    public MicroBatchStatistics Run(KtoBatch batch, bool train, double lossScale)
    {
        var withKl = loss.UsesKl;
        using var gradMode = train ? null : no_grad();
        var policyScores = CompletionLogProbs.Compute(policy, batch.InputIds, batch.AttentionMask, batch.CompletionMask, withStatistics: true);
        KlEstimate? kl = null;
        var (referenceLogProbs, referenceKl) = reference.Compute(batch, withKl);
        if (withKl)
        {
            using var noGrad = no_grad();
            var policyKl = CompletionLogProbs.Compute(policy, batch.KlInputIds!, batch.KlAttentionMask!, batch.KlCompletionMask!).LogProbs;
            kl = KlEstimate.From(policyKl, referenceKl!);
        }
        var output = loss.Compute(new KtoLossInputs(policyScores.LogProbs, referenceLogProbs.to(policyScores.LogProbs.dtype), batch.Labels, kl?.Clamped));
        if (train)
        {
            (output.Loss * lossScale).backward();
        }

        return new MicroBatchStatistics(
            output.Loss.to(ScalarType.Float64).item<double>(),
            kl is null ? 0 : kl.Clamped.to(ScalarType.Float64).item<double>(),
            kl?.Raw ?? 0,
            batch.Labels,
            HostFloats(output.Rewards),
            HostFloats(policyScores.LogProbs.detach()),
            HostFloats(policyScores.EntropySums!),
            HostFloats(policyScores.MeanLogitSums!),
            policyScores.TokenCounts,
            batch.AttentionTokens);
    }

    private static float[] HostFloats(Tensor values) => values.to(ScalarType.Float32).cpu().data<float>().ToArray();
}
