using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>The hand-written split patterns must find exactly the matches of the regexes they stand for.</summary>
[TestClass]
public sealed class WordPatternTests
{
    // BMP only: the .NET regex engine classifies UTF-16 units, so astral characters are where the two are meant to
    // differ (the hand-written patterns follow Oniguruma there; the golden corpus covers that case).
    private const string Alphabet = "aZé中ｱ'sStTrReEvVmMlLdD 0١٢७½Ⅻ!?.,;-_(){}\"\t\r\n\u00a0\u2003\u3000\u0085\u200b\u0301";

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
        var random = new Random(1234);
        for (var sample = 0; sample < 3000; sample++)
        {
            var builder = new StringBuilder();
            for (var length = random.Next(0, 24); length > 0; length--)
            {
                builder.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            var text = builder.ToString();
            var expected = regex.Matches(text).Select(m => (m.Index, m.Index + m.Length)).ToArray();
            var matches = new List<Segment>();
            ((ITextPattern)pattern).FindMatches(text, matches);
            CollectionAssert.AreEqual(expected, matches.Select(m => (m.Start, m.End)).ToArray(), $"text {System.Text.Json.JsonSerializer.Serialize(text)}");
        }
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

    private static string Split(ITextPattern pattern, string text)
    {
        var matches = new List<Segment>();
        pattern.FindMatches(text, matches);
        return string.Join("|", matches.Select(m => text[m.Start..m.End]));
    }
}
