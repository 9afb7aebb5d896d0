namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>
/// SentencePiece-style pre-tokenizer: spaces become the replacement character (usually U+2581), which is
/// prepended per <see cref="PrependScheme"/>; with <c>split</c>, each replacement character starts a new piece.
/// </summary>
internal sealed class MetaspacePreTokenizer : IPreTokenizer
{
    private readonly string replacement;
    private readonly PrependScheme prependScheme;
    private readonly bool split;

    public MetaspacePreTokenizer(MetaspaceOptions options)
    {
        replacement = options.Replacement;
        prependScheme = options.PrependScheme;
        split = options.Split;
    }

    public void PreTokenize(PreTokenizedText text) => text.Rewrite(Rewrite);

    private void Rewrite(ReadOnlySpan<char> piece, bool atOriginalStart, PieceWriter writer)
    {
        var startsWithReplacement = piece[0] == ' ' || piece.StartsWith(replacement, StringComparison.Ordinal);
        var prepend = prependScheme == PrependScheme.Always || (prependScheme == PrependScheme.First && atOriginalStart);
        if (prepend && !startsWithReplacement)
        {
            writer.Append(replacement, source: 0, sourceLength: 1);
        }

        var index = 0;
        while (index < piece.Length)
        {
            var isSpace = piece[index] == ' ';
            if (isSpace || piece[index..].StartsWith(replacement, StringComparison.Ordinal))
            {
                if (split)
                {
                    writer.EndPiece();
                }

                var width = isSpace ? 1 : replacement.Length;
                writer.Append(replacement, index, width);
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
