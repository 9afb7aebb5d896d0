namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>
/// SentencePiece-style pre-tokenizer: spaces become the replacement character (usually U+2581), which is
/// prepended per <see cref="PrependScheme"/>; with <c>split</c>, each replacement character starts a new piece.
/// </summary>
internal sealed class MetaspacePreTokenizer : IPreTokenizer
{
    private readonly string _replacement;
    private readonly PrependScheme _prependScheme;
    private readonly bool _split;

    public MetaspacePreTokenizer(MetaspaceOptions options)
    {
        _replacement = options.Replacement;
        _prependScheme = options.PrependScheme;
        _split = options.Split;
    }

    public void PreTokenize(PreTokenizedText text) => text.Rewrite(Rewrite);

    private void Rewrite(ReadOnlySpan<char> piece, bool atOriginalStart, PieceWriter writer)
    {
        var startsWithReplacement = piece[0] == ' ' || piece.StartsWith(_replacement, StringComparison.Ordinal);
        var prepend = _prependScheme == PrependScheme.Always || (_prependScheme == PrependScheme.First && atOriginalStart);
        if (prepend && !startsWithReplacement)
        {
            writer.Append(_replacement, source: 0, sourceLength: 1);
        }

        var index = 0;
        while (index < piece.Length)
        {
            var isSpace = piece[index] == ' ';
            if (isSpace || piece[index..].StartsWith(_replacement, StringComparison.Ordinal))
            {
                if (_split)
                {
                    writer.EndPiece();
                }

                var width = isSpace ? 1 : _replacement.Length;
                writer.Append(_replacement, index, width);
                index += width;
            }
            else
            {
                writer.Append(piece[index], index);
                index++;
            }
        }
    }
}
