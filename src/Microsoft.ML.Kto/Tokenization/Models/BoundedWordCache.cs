using System.Collections.Concurrent;

namespace Microsoft.ML.Kto.Tokenization.Models;

/// <summary>
/// Thread-safe cache of per-word token ids. Like HF's BPE cache it simply stops accepting entries once full,
/// which bounds memory without eviction bookkeeping on the hot path. Lookups by span allocate nothing.
/// </summary>
internal sealed class BoundedWordCache
{
    private readonly ConcurrentDictionary<string, int[]> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private readonly int capacity;
    private int count;

    public BoundedWordCache(int capacity)
    {
        this.capacity = capacity;
        bySpan = entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(ReadOnlySpan<char> word, out int[] ids) => bySpan.TryGetValue(word, out ids!);

    public void TryAdd(ReadOnlySpan<char> word, int[] ids)
    {
        if (Volatile.Read(ref count) < capacity && bySpan.TryAdd(word, ids))
        {
            Interlocked.Increment(ref count);
        }
    }
}
