using Microsoft.ML.Kto.Data.Preparation;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Reference;

/// <summary>
/// Reference log-probs computed once before training (TRL's <c>precompute_ref_log_probs</c>), held here by example
/// (examples stay immutable), so the reference model can be released before the first step.
/// </summary>
public sealed class PrecomputedReferenceLogProbs : IReferenceLogProbs
{
    private readonly Dictionary<PreparedExample, (float LogProb, float? KlLogProb)> _values = new(ReferenceEqualityComparer.Instance);

    /// <summary>Number of examples scored.</summary>
    public int Count => _values.Count;

    /// <summary>Scores every example (and its KL pair) with <paramref name="reference"/>, in chunks of <paramref name="batchSize"/>.</summary>
    public void Add(IReadOnlyList<PreparedExample> examples, IReferenceLogProbs reference, KtoCollator collator, int batchSize, bool withKl, IProgress<int>? progress = null)
    {
        var done = 0;
        foreach (var chunk in ExampleBatches.All(examples, batchSize))
        {
            using var scope = NewDisposeScope();
            var (logProbs, klLogProbs) = reference.Compute(collator.Collate(chunk, withKl), withKl);
            var values = logProbs.to(ScalarType.Float32).cpu().data<float>().ToArray();
            var klValues = klLogProbs?.to(ScalarType.Float32).cpu().data<float>().ToArray();
            for (var i = 0; i < chunk.Count; i++)
            {
                _values[chunk[i]] = (values[i], klValues?[i]);
            }

            done += chunk.Count;
            progress?.Report(done);
        }
    }

    /// <summary>The stored values of an example.</summary>
    public (float LogProb, float? KlLogProb) this[PreparedExample example] =>
        _values.TryGetValue(example, out var v) ? v
            : throw new InvalidOperationException($"No precomputed reference log-prob for the example from row {example.SourceRow}; precompute every set that is trained or evaluated.");

    /// <inheritdoc/>
    public (Tensor LogProbs, Tensor? KlLogProbs) Compute(KtoBatch batch, bool withKl)
    {
        var rows = batch.Examples.Select(e => this[e]).ToArray();
        var device = batch.InputIds.device;
        var logProbs = tensor(rows.Select(r => r.LogProb).ToArray(), device: device);
        if (!withKl)
        {
            return (logProbs, null);
        }

        var kl = rows.Select(r => r.KlLogProb ?? throw new InvalidOperationException("The reference log-probs were precomputed without KL pairs.")).ToArray();
        return (logProbs, tensor(kl, device: device));
    }
}
