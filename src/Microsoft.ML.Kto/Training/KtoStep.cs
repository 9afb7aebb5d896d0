using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Torch;
using Microsoft.ML.Kto.Training.Losses;
using Microsoft.ML.Kto.Training.Reference;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// One micro-batch of KTO: policy log-probs of the completions (with gradients), policy log-probs of the KL pairs
/// (without), reference log-probs, the KL reference point, the loss and, when training, its backward pass.
/// </summary>
internal sealed class KtoStep(CausalLM policy, IReferenceLogProbs reference, KtoLoss loss)
{
    public MicroBatchStatistics Run(KtoBatch batch, bool train, double lossScale)
    {
        var withKl = loss.UsesKl;
        using var gradMode = train ? (IDisposable?)null : NoGrad.Enter();
        var policyScores = CompletionLogProbs.Compute(policy, batch.InputIds, batch.AttentionMask, batch.CompletionMask, withStatistics: true);
        KlEstimate? kl = null;
        var (referenceLogProbs, referenceKl) = reference.Compute(batch, withKl);
        if (withKl)
        {
            using var noGrad = NoGrad.Enter();
            var policyKl = CompletionLogProbs.Compute(policy, batch.KlInputIds!, batch.KlAttentionMask!, batch.KlCompletionMask!).LogProbs;
            kl = KlEstimate.From(policyKl, referenceKl!);
        }
        var output = loss.Compute(new KtoLossInputs(policyScores.LogProbs, referenceLogProbs.To(policyScores.LogProbs.DType), batch.Labels, kl?.Clamped));
        if (train) (output.Loss * lossScale).Backward();
        return new MicroBatchStatistics(
            output.Loss.Item<double>(),
            kl is null ? 0 : kl.Clamped.Item<double>(),
            kl?.Raw ?? 0,
            batch.Labels,
            output.Rewards.To(DType.Float32).ToArray<float>(),
            policyScores.LogProbs.Detach().To(DType.Float32).ToArray<float>(),
            policyScores.EntropySums!.ToArray<float>(),
            policyScores.MeanLogitSums!.ToArray<float>(),
            policyScores.TokenCounts,
            batch.AttentionTokens);
    }
}
