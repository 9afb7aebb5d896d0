namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>Collects the rewritten text and piece boundaries for <see cref="PreTokenizedText.Rewrite"/>.</summary>
internal sealed class PieceWriter
{
    private readonly List<TextPiece> pieces = [];
    private char[] buffer;
    private int length;
    private int pieceStart;
    private bool atOriginalStart;

    public PieceWriter(int capacity) => buffer = new char[capacity];

    public void Append(char c) => AppendSpan(1)[0] = c;

    public void Append(ReadOnlySpan<char> text) => text.CopyTo(AppendSpan(text.Length));

    /// <summary>Reserves <paramref name="count"/> characters at the end of the current piece for the caller to fill.</summary>
    public Span<char> AppendSpan(int count)
    {
        if (length + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
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

    internal void BeginPiece(bool isAtOriginalStart)
    {
        pieceStart = length;
        atOriginalStart = isAtOriginalStart;
    }

    internal (string Text, List<TextPiece> Pieces) Finish() => (new string(buffer, 0, length), pieces);
}
