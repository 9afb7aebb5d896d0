namespace Microsoft.ML.Kto.Data.Preparation;

/// <summary>
/// Gives each prepared example the completion of its KL partner (TRL's <c>KL_completion_ids</c>), fixed once after
/// preparation so that training, evaluation and precomputed reference log-probs all use the same pairs.
/// </summary>
public static class KlCompletions
{
    /// <summary>The examples with partners assigned within consecutive chunks of <paramref name="perDeviceBatchSize"/> examples.</summary>
    public static List<PreparedExample> Assign(IReadOnlyList<PreparedExample> examples, int perDeviceBatchSize)
    {
        var sources = KlPairing.SourceIndices(examples.Count, perDeviceBatchSize);
        return examples.Select((e, i) => e with { KlCompletionIds = examples[sources[i]].CompletionIds }).ToList();
    }
}
