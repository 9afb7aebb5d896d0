namespace Microsoft.ML.Kto.Data.Preparation;

/// <summary>Consecutive per-device batches of prepared examples, in dataset order (the order KL pairs assume).</summary>
internal static class ExampleBatches
{
    /// <summary>Number of batches of <paramref name="size"/> that <paramref name="exampleCount"/> examples make (the last may be shorter).</summary>
    public static int Count(int exampleCount, int size) => (exampleCount + size - 1) / size;

    /// <summary>The batch with the given 0-based index.</summary>
    public static List<PreparedExample> At(IReadOnlyList<PreparedExample> examples, int index, int size) =>
        examples.Skip(index * size).Take(size).ToList();

    /// <summary>Every batch in order.</summary>
    public static IEnumerable<List<PreparedExample>> All(IReadOnlyList<PreparedExample> examples, int size) =>
        Enumerable.Range(0, Count(examples.Count, size)).Select(i => At(examples, i, size));
}
