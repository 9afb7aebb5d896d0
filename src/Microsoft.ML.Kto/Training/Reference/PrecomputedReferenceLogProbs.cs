using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Training.Reference;

/// <summary>
/// Reference log-probs computed once before training (TRL's <c>precompute_ref_log_probs</c>) and stored with the
/// prepared examples, so the reference model can be released before the first step.
/// </summary>
public sealed class PrecomputedReferenceLogProbs : IReferenceLogProbs
{
    /// <summary>Scores every example (and its KL pair) with <paramref name="reference"/>, in chunks of <paramref name="batchSize"/>.</summary>
    public static void Precompute(IReadOnlyList<PreparedExample> examples, IReferenceLogProbs reference, KtoCollator collator, int batchSize, bool withKl, IProgress<int>? progress = null)
    {
        var done = 0;
        foreach (var chunk in ExampleBatches.All(examples, batchSize))
        {
            using var scope = DisposeScope.Open();
            var (logProbs, klLogProbs) = reference.Compute(collator.Collate(chunk, withKl), withKl);
            var values = logProbs.To(DType.Float32).ToArray<float>();
            var klValues = klLogProbs?.To(DType.Float32).ToArray<float>();
            for (var i = 0; i < chunk.Count; i++)
            {
                chunk[i].ReferenceLogProb = values[i];
                chunk[i].ReferenceKlLogProb = klValues?[i];
            }
            done += chunk.Count;
            progress?.Report(done);
        }
    }

    /// <inheritdoc/>
    public (Tensor LogProbs, Tensor? KlLogProbs) Compute(KtoBatch batch, bool withKl) =>
        (batch.ReferenceLogProbs ?? throw new InvalidOperationException("The batch carries no precomputed reference log-probs."),
         withKl ? batch.ReferenceKlLogProbs : null);
}
