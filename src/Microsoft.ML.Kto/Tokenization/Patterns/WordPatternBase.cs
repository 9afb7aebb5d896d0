namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// Base for hand-written equivalents of the well-known GPT-2 style split regexes. Their alternatives together
/// match at every position, so the text is covered by back-to-back matches; each subclass returns the end of
/// the match that the regex (Oniguruma, leftmost alternative first, greedy) would find at a position.
/// Hand-written for speed: these patterns split most real tokenizers' input, and a single pass over classified
/// code points is several times faster than their <see cref="OnigurumaTranslator"/> translation run by .NET's
/// backtracking engine (the only one of its engines that supports <c>(?!\S)</c>).
/// </summary>
internal abstract class WordPatternBase : ITextPattern
{
    public void FindMatches(ReadOnlySpan<char> text, List<Segment> matches)
    {
        var index = 0;
        while (index < text.Length)
        {
            var end = MatchAt(text, index);
            matches.Add(new Segment(index, end));
            index = end;
        }
    }

    /// <summary>End of the match starting at <paramref name="index"/>; always greater than <paramref name="index"/>.</summary>
    protected abstract int MatchAt(ReadOnlySpan<char> text, int index);

    /// <summary>
    /// Length of <c>'s|'t|'re|'ve|'m|'ll|'d</c> at <paramref name="index"/> (0 when none matches).
    /// With <paramref name="ignoreCase"/> Unicode simple case folding applies, under which U+017F (long s) is an 's'.
    /// </summary>
    protected static int MatchContraction(ReadOnlySpan<char> text, int index, bool ignoreCase)
    {
        if (text[index] != '\'' || index + 1 >= text.Length)
        {
            return 0;
        }

        var first = Fold(text[index + 1], ignoreCase);
        if (first is 's' or 't' or 'm' or 'd')
        {
            return 2;
        }

        if (index + 2 >= text.Length)
        {
            return 0;
        }

        var second = Fold(text[index + 2], ignoreCase);
        return (first, second) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 3 : 0;
    }

    /// <summary>
    /// End of <c>\s+(?!\S)|\s+</c> at a whitespace position: a whitespace run followed by more text leaves its
    /// last character to prefix the next word, unless the run is that single character.
    /// </summary>
    protected static int MatchWhitespace(ReadOnlySpan<char> text, int index, int runEnd)
    {
        var keepsLastForNextWord = runEnd < text.Length && runEnd - index >= 2;
        return keepsLastForNextWord ? runEnd - 1 : runEnd;
    }

    private static char Fold(char c, bool ignoreCase) =>
        !ignoreCase ? c : c == '\u017F' ? 's' : c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
