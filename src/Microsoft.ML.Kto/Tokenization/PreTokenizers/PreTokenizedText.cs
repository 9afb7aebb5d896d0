using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>A piece of the text being pre-tokenized, as a range of <see cref="PreTokenizedText.Text"/>.</summary>
/// <param name="Start">First char index of the piece.</param>
/// <param name="End">Index past the last char of the piece.</param>
/// <param name="AtOriginalStart">Whether the piece begins at offset 0 of the caller's original input
/// (Metaspace's <c>prepend_scheme: first</c> depends on it).</param>
internal readonly record struct TextPiece(int Start, int End, bool AtOriginalStart);

/// <summary>Splits a piece into sub-ranges, relative to the piece.</summary>
internal delegate void PieceSplitter(ReadOnlySpan<char> piece, List<Segment> output);

/// <summary>Writes the replacement of a piece (possibly several pieces) to <paramref name="writer"/>.</summary>
internal delegate void PieceRewriter(ReadOnlySpan<char> piece, bool atOriginalStart, PieceWriter writer);

/// <summary>
/// The state of pre-tokenization (HF <c>PreTokenizedString</c>): a text buffer and the pieces of it that will each
/// be handed to the model. Pre-tokenizers either cut pieces further or rewrite them. When offsets are tracked,
/// every character of the buffer remembers which characters of the original text it stands for.
/// </summary>
internal sealed class PreTokenizedText
{
    private readonly List<Segment> _scratch = [];
    private List<TextPiece> _pieces = [];

    /// <summary>Per buffer character, the original characters it stands for; null when offsets are not tracked.</summary>
    private (int Start, int End)[]? _sources;

    public PreTokenizedText(string text, bool atOriginalStart, bool trackOffsets = false)
    {
        Text = text;
        if (text.Length > 0)
        {
            _pieces.Add(new TextPiece(0, text.Length, atOriginalStart));
        }

        if (trackOffsets)
        {
            _sources = new (int, int)[text.Length];
            for (var i = 0; i < _sources.Length; i++)
            {
                _sources[i] = (i, i + 1);
            }
        }
    }

    public string Text { get; private set; }

    public IReadOnlyList<TextPiece> Pieces => _pieces;

    public ReadOnlySpan<char> this[TextPiece piece] => Text.AsSpan(piece.Start, piece.End - piece.Start);

    /// <summary>
    /// The range of the original text that buffer characters [<paramref name="start"/>, <paramref name="end"/>)
    /// stand for. Rewrites keep sources in order, so the first and last characters bound the range.
    /// </summary>
    public (int Start, int End) SourceOf(int start, int end)
    {
        var map = _sources ?? throw new InvalidOperationException("offsets were not tracked");
        return (map[start].Start, map[end - 1].End);
    }

    /// <summary>Replaces every piece by its non-empty sub-ranges.</summary>
    public void Split(PieceSplitter splitter)
    {
        var result = new List<TextPiece>(_pieces.Count);
        foreach (var piece in _pieces)
        {
            _scratch.Clear();
            splitter(this[piece], _scratch);
            foreach (var part in _scratch)
            {
                if (part.Length > 0)
                {
                    result.Add(new TextPiece(piece.Start + part.Start, piece.Start + part.End, piece.AtOriginalStart && part.Start == 0));
                }
            }
        }

        _pieces = result;
    }

    /// <summary>Replaces every piece by whatever <paramref name="rewriter"/> writes for it, in a new buffer.</summary>
    public void Rewrite(PieceRewriter rewriter)
    {
        var writer = new PieceWriter(Text.Length + 16, trackSources: _sources is not null);
        foreach (var piece in _pieces)
        {
            writer.BeginPiece(piece);
            rewriter(this[piece], piece.AtOriginalStart, writer);
            writer.EndPiece();
        }

        (Text, _pieces, var newSources) = writer.Finish();
        if (_sources is { } old && newSources is not null)
        {
            _sources = newSources.Select(range => (old[range.Start].Start, old[range.End - 1].End)).ToArray();
        }
    }
}
