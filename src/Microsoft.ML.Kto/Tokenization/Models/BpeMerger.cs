namespace Microsoft.ML.Kto.Tokenization.Models;

/// <summary>
/// Applies BPE merges to a word, always merging the adjacent pair with the lowest merge rank first and the
/// leftmost one among equal ranks (HF <c>Word::merge_all</c>), using a priority queue over a linked list.
/// </summary>
internal sealed class BpeMerger
{
    private readonly Dictionary<long, (int Rank, int NewId)> _merges;

    public BpeMerger(Dictionary<long, (int Rank, int NewId)> merges) => _merges = merges;

    public static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    public int[] MergeAll(List<int> symbols)
    {
        var count = symbols.Count;
        var ids = symbols.ToArray();
        if (count < 2)
        {
            return ids;
        }

        var previous = new int[count];
        var next = new int[count];
        var removed = new bool[count];
        var queue = new PriorityQueue<(int Position, int NewId), long>(count);
        for (var i = 0; i < count; i++)
        {
            previous[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            if (i + 1 < count)
            {
                Enqueue(queue, ids, i, i + 1);
            }
        }

        var remaining = count;
        while (queue.TryDequeue(out var top, out _))
        {
            var position = top.Position;
            var right = next[position];
            // Entries go stale when a neighbour was merged since they were queued.
            if (removed[position] || right < 0
                || !_merges.TryGetValue(PairKey(ids[position], ids[right]), out var merge) || merge.NewId != top.NewId)
            {
                continue;
            }

            ids[position] = merge.NewId;
            removed[right] = true;
            remaining--;
            next[position] = next[right];
            if (next[right] >= 0)
            {
                previous[next[right]] = position;
                Enqueue(queue, ids, position, next[right]);
            }

            if (previous[position] >= 0)
            {
                Enqueue(queue, ids, previous[position], position);
            }
        }

        var result = new int[remaining];
        for (int i = 0, written = 0; i >= 0; i = next[i])
        {
            result[written++] = ids[i];
        }

        return result;
    }

    private void Enqueue(PriorityQueue<(int Position, int NewId), long> queue, int[] ids, int left, int right)
    {
        if (_merges.TryGetValue(PairKey(ids[left], ids[right]), out var merge))
        {
            queue.Enqueue((left, merge.NewId), ((long)merge.Rank << 32) | (uint)left);
        }
    }
}
