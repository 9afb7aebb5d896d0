using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>The hand-written split patterns must find exactly the matches of the regexes they stand for.</summary>
[TestClass]
public sealed class WordPatternTests
{
    // BMP only: the plain .NET regex engine classifies UTF-16 units, so astral characters are where the two are meant to
    // differ (the hand-written patterns follow Oniguruma there; the translated-regex test below covers that case).
    private const string Alphabet = "aZé中ｱ'sStTrReEvVmMlLdD 0١٢७½Ⅻ!?.,;-_(){}\"\t\r\n\u00a0\u2003\u3000\u0085\u200b\u0301";

    // Whole code points and sequences where UTF-16 and code points part ways: astral letters and digits, emoji with
    // skin tones and ZWJ, combining marks, CJK (extension B too), CR LF, and the whitespace outside ASCII.
    private static readonly string[] AstralRichAlphabet =
    [
        "a", "Z", "é", "s", "S", "t", "T", "r", "e", "v", "m", "l", "L", "d", "D", "\u017f", "'", "'",
        "𝐀", "𝐳", "𝑎", "𝟎", "𝟗", "𝟏𝟐", "𐐀", "𐐨", "𠀀", "中", "文", "か", "ｱ",
        "😀", "👍🏽", "👩\u200d💻", "\u200d", "\ufe0f", "🏽", "\u0301", "\u0308",
        "\r\n", "\r", "\n", "\t", " ", "  ", "\u00a0", "\u3000", "\u2003", "\u0085",
        "0", "7", "1", "١", "½", "Ⅻ", "!", "?", ".", ",", "-", "(", "\"", "/",
    ];

    public static IEnumerable<object[]> Patterns =>
    [
        [Gpt2WordPattern.Source, Gpt2WordPattern.Instance],
        [Llama3WordPattern.Llama3Source, Llama3WordPattern.Llama3],
        [Llama3WordPattern.QwenSource, Llama3WordPattern.Qwen],
    ];

    [TestMethod]
    [DynamicData(nameof(Patterns))]
    public void HandWrittenPatternMatchesTheRegexOnRandomText(string source, object pattern)
    {
        var regex = new Regex(source, RegexOptions.CultureInvariant);
        AssertSameMatchesOnRandomText(
            Alphabet.Select(c => c.ToString()).ToArray(), seed: 1234,
            text => regex.Matches(text).Select(m => new Segment(m.Index, m.Index + m.Length)).ToList(), (ITextPattern)pattern);
    }

    [TestMethod]
    [DynamicData(nameof(Patterns))]
    public void HandWrittenPatternMatchesTheTranslatedRegexOnAstralRichText(string source, object pattern)
    {
        // Compiled through the Oniguruma translator directly, bypassing PatternFactory's table of hand-written matchers.
        var translated = RegexPattern.Compile(TokenizerJson.Section(JsonSerializer.Serialize(source)));
        AssertSameMatchesOnRandomText(AstralRichAlphabet, seed: 5678, text => Matches(translated, text), (ITextPattern)pattern);
    }

    [TestMethod]
    public void AstralLettersAndDigitsAreClassifiedByCodePoint()
    {
        var matches = new List<Segment>();
        Llama3WordPattern.Llama3.FindMatches("😀abc 𝐀𝐁 𝟏𝟐𝟑𝟒", matches);
        CollectionAssert.AreEqual(
            new[] { "😀abc", " 𝐀𝐁", " ", "𝟏𝟐𝟑", "𝟒" },
            matches.Select(m => "😀abc 𝐀𝐁 𝟏𝟐𝟑𝟒"[m.Start..m.End]).ToArray());
    }

    [TestMethod]
    public void ContractionsIgnoreCaseOnlyInTheLlama3Pattern()
    {
        Assert.AreEqual("'S|T", Split(Llama3WordPattern.Llama3, "'ST"));
        Assert.AreEqual("'ſ|x", Split(Llama3WordPattern.Qwen, "'ſx"));
        Assert.AreEqual("'|ST", Split(Gpt2WordPattern.Instance, "'ST"));
        Assert.AreEqual("'s|'re", Split(Gpt2WordPattern.Instance, "'s're"));
    }

    private static void AssertSameMatchesOnRandomText(
        string[] alphabet, int seed, Func<string, List<Segment>> expectedMatches, ITextPattern pattern)
    {
        var random = new Random(seed);
        for (var sample = 0; sample < 3000; sample++)
        {
            var builder = new StringBuilder();
            for (var length = random.Next(0, 24); length > 0; length--)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var text = builder.ToString();
            CollectionAssert.AreEqual(expectedMatches(text), Matches(pattern, text), $"text {JsonSerializer.Serialize(text)}");
        }
    }

    private static List<Segment> Matches(ITextPattern pattern, string text)
    {
        var matches = new List<Segment>();
        pattern.FindMatches(text, matches);
        return matches;
    }

    private static string Split(ITextPattern pattern, string text) =>
        string.Join("|", Matches(pattern, text).Select(m => text[m.Start..m.End]));
}
