namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>Matches every non-overlapping occurrence of a fixed string.</summary>
internal sealed class LiteralPattern : ITextPattern
{
    private readonly string _literal;

    public LiteralPattern(string literal)
    {
        if (literal.Length == 0)
        {
            throw new ArgumentException("A literal pattern must not be empty.", nameof(literal));
        }

        _literal = literal;
    }

    public void FindMatches(ReadOnlySpan<char> text, List<Segment> matches)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOf(_literal, StringComparison.Ordinal);
            if (found < 0)
            {
                return;
            }

            var start = offset + found;
            matches.Add(new Segment(start, start + _literal.Length));
            offset = start + _literal.Length;
        }
    }
}
