using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>Every code point satisfying the predicate is a match of its own (HF's <c>Fn(char) -> bool</c> pattern).</summary>
internal sealed class CharPredicatePattern : ITextPattern
{
    private readonly Func<Rune, bool> _predicate;

    public CharPredicatePattern(Func<Rune, bool> predicate) => _predicate = predicate;

    public void FindMatches(ReadOnlySpan<char> text, List<Segment> matches)
    {
        var index = 0;
        while (index < text.Length)
        {
            Rune.DecodeFromUtf16(text[index..], out var rune, out var width);
            if (_predicate(rune))
            {
                matches.Add(new Segment(index, index + width));
            }

            index += width;
        }
    }
}
