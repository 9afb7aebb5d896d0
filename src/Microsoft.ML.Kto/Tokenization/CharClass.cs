using System.Globalization;
using System.Text;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>The character classes that the GPT-2 family of split patterns distinguish.</summary>
internal enum CharKind : byte
{
    Other,
    Letter,
    Number,
    Whitespace,
}

/// <summary>
/// Classifies code points the way Oniguruma's <c>\p{L}</c>, <c>\p{N}</c> and <c>\s</c> do. Works on code points,
/// not UTF-16 units: an astral letter such as U+1D400 is a letter (the .NET Regex engine would see two surrogates).
/// </summary>
internal static class CharClass
{
    private static readonly CharKind[] Bmp = BuildBmpTable();

    /// <summary>Classifies the code point at <paramref name="index"/>; <paramref name="width"/> is its UTF-16 length.</summary>
    public static CharKind At(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return Of(Rune.GetUnicodeCategory(new Rune(c, text[index + 1])));
        }

        width = 1;
        return Bmp[c];
    }

    /// <summary>Index just past the run of code points of <paramref name="kind"/> starting at <paramref name="index"/>.</summary>
    public static int SkipRun(ReadOnlySpan<char> text, int index, CharKind kind)
    {
        while (index < text.Length && At(text, index, out var width) == kind)
        {
            index += width;
        }

        return index;
    }

    private static CharKind[] BuildBmpTable()
    {
        var table = new CharKind[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            table[c] = char.IsWhiteSpace((char)c) ? CharKind.Whitespace : Of(char.GetUnicodeCategory((char)c));
        }

        return table;
    }

    private static CharKind Of(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharKind.Number,
        _ => CharKind.Other,
    };
}
