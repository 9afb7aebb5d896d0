using System.Collections.Concurrent;

namespace Microsoft.ML.Kto.Tokenization.Models;

/// <summary>
/// Thread-safe cache of per-word token ids. Like HF's BPE cache it simply stops accepting entries once full,
/// which bounds memory without eviction bookkeeping on the hot path. Lookups by span allocate nothing.
/// </summary>
internal sealed class BoundedWordCache
{
    private readonly ConcurrentDictionary<string, int[]> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly int _capacity;
    private int _count;

    public BoundedWordCache(int capacity)
    {
        _capacity = capacity;
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(ReadOnlySpan<char> word, out int[] ids) => _bySpan.TryGetValue(word, out ids!);

    public void TryAdd(ReadOnlySpan<char> word, int[] ids)
    {
        if (Volatile.Read(ref _count) < _capacity && _bySpan.TryAdd(word, ids))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
