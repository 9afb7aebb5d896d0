namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>
/// Collects the rewritten text and piece boundaries for <see cref="PreTokenizedText.Rewrite"/>. Every appended
/// character names the characters of the piece it stands for, so that token offsets can be traced back to the
/// input; that bookkeeping is only kept when the caller asked for offsets.
/// </summary>
internal sealed class PieceWriter
{
    private readonly List<TextPiece> _pieces = [];
    private readonly List<(int Start, int End)>? _sources;
    private char[] _buffer;
    private int _length;
    private int _pieceStart;
    private int _pieceSourceStart;
    private bool _atOriginalStart;

    public PieceWriter(int capacity, bool trackSources)
    {
        _buffer = new char[capacity];
        _sources = trackSources ? new List<(int, int)>(capacity) : null;
    }

    /// <summary>Appends <paramref name="c"/>, standing for the piece's character at <paramref name="source"/>.</summary>
    public void Append(char c, int source) => AppendSpan(1, source, 1)[0] = c;

    /// <summary>Appends <paramref name="text"/>, standing as a whole for <paramref name="sourceLength"/> characters of the piece at <paramref name="source"/>.</summary>
    public void Append(ReadOnlySpan<char> text, int source, int sourceLength) =>
        text.CopyTo(AppendSpan(text.Length, source, sourceLength));

    /// <summary>
    /// Reserves <paramref name="count"/> characters at the end of the current piece for the caller to fill; each
    /// stands for the <paramref name="sourceLength"/> characters of the piece at <paramref name="source"/>.
    /// </summary>
    public Span<char> AppendSpan(int count, int source, int sourceLength)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        if (_sources is not null)
        {
            var range = (_pieceSourceStart + source, _pieceSourceStart + source + sourceLength);
            for (var i = 0; i < count; i++)
            {
                _sources.Add(range);
            }
        }

        _length += count;
        return _buffer.AsSpan(_length - count, count);
    }

    /// <summary>Closes the current piece (dropped when empty); what follows starts a new piece.</summary>
    public void EndPiece()
    {
        if (_length > _pieceStart)
        {
            _pieces.Add(new TextPiece(_pieceStart, _length, _atOriginalStart));
        }

        _pieceStart = _length;
        _atOriginalStart = false;
    }

    internal void BeginPiece(TextPiece piece)
    {
        _pieceStart = _length;
        _pieceSourceStart = piece.Start;
        _atOriginalStart = piece.AtOriginalStart;
    }

    /// <summary>The new text, its pieces, and for each new character the range of old characters it stands for (null unless tracked).</summary>
    internal (string Text, List<TextPiece> Pieces, List<(int Start, int End)>? Sources) Finish() =>
        (new string(_buffer, 0, _length), _pieces, _sources);
}
