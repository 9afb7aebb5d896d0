namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>
/// Collects the rewritten text and piece boundaries for <see cref="PreTokenizedText.Rewrite"/>. Every appended
/// character names the characters of the piece it stands for, so that token offsets can be traced back to the
/// input; that bookkeeping is only kept when the caller asked for offsets.
/// </summary>
internal sealed class PieceWriter
{
    private readonly List<TextPiece> pieces = [];
    private readonly List<(int Start, int End)>? sources;
    private char[] buffer;
    private int length;
    private int pieceStart;
    private int pieceSourceStart;
    private bool atOriginalStart;

    public PieceWriter(int capacity, bool trackSources)
    {
        buffer = new char[capacity];
        sources = trackSources ? new List<(int, int)>(capacity) : null;
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
        if (length + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        }

        if (sources is not null)
        {
            var range = (pieceSourceStart + source, pieceSourceStart + source + sourceLength);
            for (var i = 0; i < count; i++)
            {
                sources.Add(range);
            }
        }

        length += count;
        return buffer.AsSpan(length - count, count);
    }

    /// <summary>Closes the current piece (dropped when empty); what follows starts a new piece.</summary>
    public void EndPiece()
    {
        if (length > pieceStart)
        {
            pieces.Add(new TextPiece(pieceStart, length, atOriginalStart));
        }

        pieceStart = length;
        atOriginalStart = false;
    }

    internal void BeginPiece(TextPiece piece)
    {
        pieceStart = length;
        pieceSourceStart = piece.Start;
        atOriginalStart = piece.AtOriginalStart;
    }

    /// <summary>The new text, its pieces, and for each new character the range of old characters it stands for (null unless tracked).</summary>
    internal (string Text, List<TextPiece> Pieces, List<(int Start, int End)>? Sources) Finish() =>
        (new string(buffer, 0, length), pieces, sources);
}
