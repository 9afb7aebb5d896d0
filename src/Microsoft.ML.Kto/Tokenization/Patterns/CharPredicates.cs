using System.Globalization;
using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>Rust's <c>char</c> predicates that HF pre-tokenizers are defined with.</summary>
internal static class CharPredicates
{
    /// <summary>Rust <c>char::is_whitespace</c> (Unicode White_Space).</summary>
    public static bool IsWhitespace(Rune rune) => Rune.IsWhiteSpace(rune);

    /// <summary>Rust <c>char::is_numeric</c>: categories Nd, Nl and No.</summary>
    public static bool IsNumeric(Rune rune) => Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>HF's <c>is_punctuation</c>: ASCII punctuation (which includes symbols such as $ + &lt; |) or any P* category.</summary>
    public static bool IsPunctuation(Rune rune) =>
        (rune.Value is >= 0x21 and <= 0x7E && !char.IsAsciiLetterOrDigit((char)rune.Value))
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    /// <summary>Rust regex's Unicode <c>\w</c>: letters, letter numbers, marks, decimal digits, connectors, ZWNJ/ZWJ.</summary>
    public static bool IsWordChar(Rune rune) => rune.Value is 0x200C or 0x200D || Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
}
