using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>The Whitespace pre-tokenizer's <c>\w+|[^\w\s]+</c>: maximal runs of word characters or of symbols.</summary>
internal sealed class WordOrSymbolRunPattern : ITextPattern
{
    public static readonly WordOrSymbolRunPattern Instance = new();

    public void FindMatches(ReadOnlySpan<char> text, List<Segment> matches)
    {
        var index = 0;
        var runStart = -1;
        var runIsWord = false;
        while (index < text.Length)
        {
            Rune.DecodeFromUtf16(text[index..], out var rune, out var width);
            var isSpace = CharPredicates.IsWhitespace(rune);
            var isWord = !isSpace && CharPredicates.IsWordChar(rune);
            if (runStart >= 0 && (isSpace || isWord != runIsWord))
            {
                matches.Add(new Segment(runStart, index));
                runStart = -1;
            }

            if (!isSpace && runStart < 0)
            {
                runStart = index;
                runIsWord = isWord;
            }

            index += width;
        }

        if (runStart >= 0)
        {
            matches.Add(new Segment(runStart, text.Length));
        }
    }
}
