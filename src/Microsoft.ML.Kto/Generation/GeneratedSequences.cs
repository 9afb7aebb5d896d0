namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// The new tokens of every row, kept in managed arrays, and when each row is done: after an end-of-sequence token
/// (kept), once its decoded text contains a stop string, or when it reaches the token budget.
/// </summary>
internal sealed class GeneratedSequences
{
    private readonly int[][] _tokens;
    private readonly int[] _lengths;
    private readonly bool[] _finished;
    private readonly int[] _eosTokenIds;
    private readonly long _padTokenId;
    private readonly IReadOnlyList<string> _stopStrings;
    private readonly Func<int[], string>? _decode;
    private readonly Action<int, int>? _onToken;
    private readonly int _longestStopString;
    private int _unfinished;

    public GeneratedSequences(int rows, int maxNewTokens, int[] eosTokenIds, long padTokenId,
        IReadOnlyList<string> stopStrings, Func<int[], string>? decode, Action<int, int>? onToken)
    {
        if (stopStrings.Count > 0 && decode is null)
        {
            throw new ArgumentException("Stop strings are matched on decoded text: pass a decoder (token ids -> text).", nameof(decode));
        }

        _tokens = Enumerable.Range(0, rows).Select(_ => new int[maxNewTokens]).ToArray();
        _lengths = new int[rows];
        _finished = new bool[rows];
        _eosTokenIds = eosTokenIds;
        _padTokenId = padTokenId;
        _stopStrings = stopStrings;
        _longestStopString = stopStrings.Count == 0 ? 0 : stopStrings.Max(s => s.Length);
        _decode = decode;
        _onToken = onToken;
        _unfinished = maxNewTokens > 0 ? rows : 0;
    }

    /// <summary>True once no row needs another token.</summary>
    public bool AllFinished => _unfinished == 0;

    /// <summary>
    /// Records the step's token of every unfinished row and overwrites the entries of finished rows with the pad
    /// token, which is what those rows are fed next.
    /// </summary>
    public void Accept(long[] tokens)
    {
        for (var row = 0; row < tokens.Length; row++)
        {
            if (_finished[row])
            {
                tokens[row] = _padTokenId;
                continue;
            }
            var token = checked((int)tokens[row]);
            _tokens[row][_lengths[row]++] = token;
            _onToken?.Invoke(row, token);
            if (Array.IndexOf(_eosTokenIds, token) >= 0 || _lengths[row] == _tokens[row].Length || EndsInStopString(row))
            {
                _finished[row] = true;
                _unfinished--;
            }
        }
    }

    // Checked after every token, so the first time the text contains a stop string the current token completed it.
    // Only the tail that can hold a newly completed stop string is decoded, not the whole row: a character may take up
    // to four byte tokens, plus one leading token so that a decoder's stripped leading space falls outside the match.
    private bool EndsInStopString(int row)
    {
        if (_stopStrings.Count == 0)
        {
            return false;
        }

        var window = 4 * _longestStopString + 1;
        var end = _lengths[row];
        var text = _decode!(_tokens[row][Math.Max(0, end - window)..end]);
        foreach (var stop in _stopStrings)
        {
            if (text.Contains(stop, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Each row's new tokens.</summary>
    public int[][] ToArrays() => _tokens.Select((tokens, row) => tokens[.._lengths[row]]).ToArray();
}
