using System.Text.Json;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>
/// Each Oniguruma construct the translator accepts must match as Oniguruma does (expectations worked out from
/// Oniguruma's source, not from .NET), and each one it cannot translate exactly must be refused with a message
/// naming the file, JSON path, pattern and construct.
/// </summary>
[TestClass]
public sealed class OnigurumaTranslatorTests
{
    [TestMethod]
    [DataRow(@"\p{L}+", "a𝐀b 𝟏x", "a𝐀b|x")]
    [DataRow(@"\p{N}+", "𝟏𝟐a½Ⅻ", "𝟏𝟐|½Ⅻ")]
    [DataRow(@"[^\p{L}\s]+", "𝐀😀👍🏽 𝐁", "😀👍🏽")]
    [DataRow(@"[^a]", "a𝐀", "𝐀")]
    [DataRow(@"[𝐀-𝐙]+", "𝐀𝐁a𝐙", "𝐀𝐁|𝐙")]
    [DataRow(@"\x{1D400}|\u00e9", "é𝐀e", "é|𝐀")]
    [DataRow(@".", "𝐀a", "𝐀|a")]
    [DataRow(@".+", "a\nb", "a|b")]
    [DataRow(@"(?m).+", "a\nb", "a\nb")]
    [DataRow(@"\N\O", "a\n\nb", "a\n")]
    [DataRow(@"\s+", "a\u0085\u00a0b\u200bc\ufeffd\u3000", "\u0085\u00a0|\u3000")]
    [DataRow(@"\w+", "Ⅻⓐ_x\u200dy🅰", "Ⅻⓐ_x|y🅰")]
    [DataRow(@"\d+", "12½٣𝟏", "12|٣𝟏")]
    [DataRow(@"\h+\H", "0aFg", "0aFg")]
    [DataRow(@"[[:punct:]]+|\p{Punct}", "$+!", "$+!")]
    [DataRow(@"\p{Punct}", "$+!", "!")]
    [DataRow(@"\p{^L}+\P{^L}", "12ab", "12a")]
    [DataRow(@"[a-z&&[^aeiou]]+", "hello", "h|ll")]
    [DataRow(@"[^[^a-c]]+", "abcd", "abc")]
    [DataRow(@"[^\p{L}[0-9]]+", "ab12!!𝐀", "!!")]
    [DataRow(@"[]a]+", "a]b", "a]")]
    [DataRow(@"[a-]+|[-b]", "-a-b", "-a-|b")]
    [DataRow(@"[\d-]+", "1-2x", "1-2")]
    [DataRow(@"a{,2}", "aaa", "aa|a")]
    [DataRow(@"a{", "a{", "a{")]
    [DataRow(@"\101\x41\u0041\o{101}\t", "AAAA\t", "AAAA\t")]
    [DataRow(@"\R", "a\r\nb\nc\u2028", "\r\n|\n|\u2028")]
    [DataRow(@"(?x) a b # comment
               c", "abc", "abc")]
    [DataRow(@"a(?#comment)b", "ab", "ab")]
    public void ConstructMatchesWholeCodePoints(string pattern, string text, string expected) =>
        Assert.AreEqual(expected, Pieces(pattern, text));

    [TestMethod]
    [DataRow(@"a*+a", "aaa", "")]
    [DataRow(@"a++a", "aaa", "")]
    [DataRow(@"a?+a", "a", "")]
    [DataRow(@"a*a", "aaa", "aaa")]
    [DataRow(@"(?>a+)a", "aaa", "")]
    [DataRow(@"\d{1,3}+", "12345 1", "12345|1")]
    [DataRow(@"(?:a{1,2})+a", "aaa", "aaa")]
    [DataRow(@"a{3,2}a", "aaa", "")]
    [DataRow(@"a{2,3}a", "aaa", "aaa")]
    [DataRow(@"a+?", "aaa", "a|a|a")]
    [DataRow(@"a{2,3}?", "aaaa", "aa|aa")]
    [DataRow(@"a**", "aaa", "aaa")]
    [DataRow(@"(?:a+)?+b", "aab", "aab")]
    [DataRow(@"a(?=b)|c(?!d)", "abcdce", "a|c")]
    [DataRow(@"(?<=a)b|(?<!a)c", "abacc", "b|c")]
    [DataRow(@"(?<=𝐀)b", "𝐀bab", "b")]
    [DataRow(@"(a)\1|(b)\2", "aab bb", "aa|bb")]
    [DataRow(@"(?<q>['""]).*?\k<q>", @"""x' y"" 'z'", @"""x' y""|'z'")]
    public void QuantifiersGroupsAndLookaroundsFollowOniguruma(string pattern, string text, string expected) =>
        Assert.AreEqual(expected, Pieces(pattern, text));

    [TestMethod]
    [DataRow(@"(?i)k+", "kKK\u212a", "kKK\u212a")]
    [DataRow(@"(?i)[^k]+", "kK\u212ax", "x")]
    [DataRow(@"(?i)\p{Lu}+", "Aa", "A")]
    [DataRow(@"(?i)ǆ+", "Ǆǅǆ", "Ǆǅǆ")]
    [DataRow(@"(?i)𐐀+", "𐐨𐐀", "𐐨𐐀")]
    [DataRow(@"(?i:'s)", "'S 'ſ 's", "'S|'ſ|'s")]
    [DataRow(@"a(?i)b|c", "aB C aC ab", "aB|aC|ab")]
    [DataRow(@"(?i)a(?-i)b", "Ab AB", "Ab")]
    public void CaseInsensitivityUsesOnigurumasFoldingAndScope(string pattern, string text, string expected) =>
        Assert.AreEqual(expected, Pieces(pattern, text));

    [TestMethod]
    [DataRow(@"^\w", "ab\ncd\n", "0-1 3-4")]
    [DataRow(@"^", "a\n", "0-0")]
    [DataRow(@"$", "a\nb\n", "1-1 3-3 4-4")]
    [DataRow(@"\Z", "ab\n", "2-2 3-3")]
    [DataRow(@"\A|\z", "ab", "0-0 2-2")]
    [DataRow(@"\b", "𝐀𝐁 x", "0-0 4-4 5-5 6-6")]
    [DataRow(@"\B", "😀", "0-0 2-2")]
    [DataRow(@"\B", "a😀", "3-3")]
    [DataRow(@"\b", "ab cd", "0-0 2-2 3-3 5-5")]
    [DataRow(@"[^\x00-\x{10FFFF}]|b", "ab😀b", "1-2 4-5")]
    [DataRow(@"x*", "a𝐀", "0-0 1-1 3-3")]
    [DataRow(@"a*", "ab", "0-1 2-2")]
    [DataRow(@"a{2}?", "aaa", "0-2 3-3")]
    public void AnchorsAndEmptyMatchesAreEnumeratedAsOnigDoes(string pattern, string text, string expected) =>
        Assert.AreEqual(expected, Spans(pattern, text));

    [TestMethod]
    public void LoneSurrogatesAreSingleCodePointsThatOnlyNegatedSetsAndCsMatch()
    {
        // Oniguruma never sees them (Rust strings are UTF-8); here they count as the surrogate code point, category Cs.
        Assert.AreEqual("0-1 1-2 2-3", Spans(@"[^a]", "\ud800x\udc00"));
        Assert.AreEqual("0-1 1-2", Spans(@".", "\udc00\ud800"));
        Assert.AreEqual("0-1 2-3", Spans(@"\p{Cs}", "\ud800x\udc00"));
        Assert.AreEqual(string.Empty, Spans(@"\p{Cs}", "😀"));
    }

    [TestMethod]
    [DataRow(@"\G", @"\G (search start anchor) at offset 0 has no exact .NET translation")]
    [DataRow(@"a\Kb", @"\K (keep) at offset 1")]
    [DataRow(@"\X", @"\X (text segment) at offset 0")]
    [DataRow(@"a\yb", @"\y (text segment boundary) at offset 1")]
    [DataRow(@"(?~abc)", "absent operator (?~...) at offset 0")]
    [DataRow(@"(a)(?(1)b|c)", "conditional (?(...)...) at offset 3")]
    [DataRow(@"(?{foo})", "callout (?{...}) at offset 0")]
    [DataRow(@"(*FAIL)", "callout (*...) at offset 0")]
    [DataRow(@"(a)\g<1>", @"subexpression call \g<...> at offset 3")]
    [DataRow(@"\p{Han}+", @"Unicode property \p{Han} (supported: general categories")]
    [DataRow(@"[[:alpha:]]", "POSIX bracket [:alpha:] (it needs Unicode properties beyond general categories) at offset 1")]
    [DataRow(@"(?W)\w", "option 'W' in (?W...) at offset 0")]
    [DataRow(@"(?i)straße", "case-insensitive \"straße\" would also match through a multi-character case folding")]
    [DataRow(@"(?i:ss)", "case-insensitive \"ss\" would also match through a multi-character case folding")]
    [DataRow(@"(?i)[a-zß]", "case-insensitive class containing a character with a multi-character case folding (such as ß) at offset 4")]
    [DataRow(@"(?i)(a)\1", "case-insensitive backreference at offset 7")]
    [DataRow(@"\xFF", @"raw byte escape above \x7F at offset 0")]
    [DataRow(@"(?<=(a)\1)", "backreference inside a look-behind at offset 7")]
    [DataRow(@"(unclosed", "invalid pattern: end pattern with unmatched parenthesis at offset 0")]
    [DataRow(@"a)", "invalid pattern: unmatched close parenthesis at offset 1")]
    [DataRow(@"*a", "invalid pattern: target of repeat operator is not specified at offset 0")]
    [DataRow(@"^*", "invalid pattern: target of repeat operator is invalid at offset 1")]
    [DataRow(@"[b-a]", "invalid pattern: empty range in char class at offset 3")]
    [DataRow(@"[]", "invalid pattern: empty char-class at offset 0")]
    [DataRow(@"(?<=a(?=b))", "invalid pattern: look-ahead inside a look-behind at offset 5")]
    [DataRow(@"(?s)a", "invalid pattern: undefined group option at offset 0")]
    [DataRow(@"a{100001}", "invalid pattern: too big number for repeat range at offset 1")]
    [DataRow(@"\k<nope>(?<a>x)", "invalid pattern: undefined name reference at offset 0")]
    public void UntranslatableOrInvalidPatternsAreRefusedNamingTheConstruct(string pattern, string message)
    {
        var error = Assert.ThrowsExactly<TokenizerFormatException>(() => Compile(pattern, "$.pre_tokenizer.pattern.Regex"));
        StringAssert.StartsWith(error.Message, $"tokenizer.json: $.pre_tokenizer.pattern.Regex: regex not supported: /{pattern}/: ");
        StringAssert.Contains(error.Message, message);
        Assert.AreEqual("$.pre_tokenizer.pattern.Regex", error.JsonPath);
    }

    [TestMethod]
    public void ReplaceNormalizerUsesTheTranslatorAndOnigsEmptyMatchRule()
    {
        var normalizer = Microsoft.ML.Kto.Tokenization.Normalizers.NormalizerFactory.Create(TokenizerJson.Section(
            """{"type": "Replace", "pattern": {"Regex": "\\p{L}*"}, "content": "_"}"""));
        Assert.AreEqual("_1_", normalizer.Normalize("a𝐀1𝐁"));
    }

    private static RegexPattern Compile(string pattern, string path = "$.component") =>
        RegexPattern.Compile(TokenizerJson.Section(JsonSerializer.Serialize(pattern), path));

    private static List<Segment> Matches(string pattern, string text)
    {
        var matches = new List<Segment>();
        Compile(pattern).FindMatches(text, matches);
        return matches;
    }

    private static string Pieces(string pattern, string text) => string.Join("|", Matches(pattern, text).Select(m => text[m.Start..m.End]));

    private static string Spans(string pattern, string text) => string.Join(" ", Matches(pattern, text).Select(m => $"{m.Start}-{m.End}"));
}
