using System.Text.Json;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>
/// Real tokenizer.json Split patterns must find the match spans of the reference (JavaScript RegExp with the u flag,
/// bridged to Oniguruma's semantics) on the golden corpus plus astral and emoji text, written by
/// build/golden/tokenizers/make_regex_golden.mjs.
/// </summary>
[TestClass]
public sealed class RegexGoldenTests
{
    private static readonly Lazy<RegexGolden> Golden = new(() =>
        JsonSerializer.Deserialize<RegexGolden>(
            File.ReadAllText(RepoPaths.TestData(Path.Combine("regex", "regex.golden.json"))),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    public static IEnumerable<object[]> PatternNames => Golden.Value.Patterns.Select(p => new object[] { p.Name });

    [TestMethod]
    [DynamicData(nameof(PatternNames))]
    public void TranslatedPatternFindsTheGoldenMatches(string name)
    {
        var golden = Golden.Value.Patterns.Single(p => p.Name == name);
        AssertGoldenMatches(golden, RegexPattern.Compile(TokenizerJson.Section(JsonSerializer.Serialize(golden.Pattern))));
    }

    [TestMethod]
    [DataRow("gpt2")]
    [DataRow("llama3-cl100k")]
    [DataRow("qwen2")]
    public void HandWrittenPatternFindsTheGoldenMatches(string name)
    {
        var golden = Golden.Value.Patterns.Single(p => p.Name == name);
        var pattern = PatternFactory.Create(TokenizerJson.Section($$"""{"Regex": {{JsonSerializer.Serialize(golden.Pattern)}}}"""));
        Assert.IsNotInstanceOfType<RegexPattern>(pattern);
        AssertGoldenMatches(golden, pattern);
    }

    private static void AssertGoldenMatches(PatternGolden golden, ITextPattern pattern)
    {
        var texts = Golden.Value.Texts;
        Assert.IsTrue(texts.Count >= 80, $"only {texts.Count} golden texts");
        var failures = new List<string>();
        for (var i = 0; i < texts.Count; i++)
        {
            var matches = new List<Segment>();
            pattern.FindMatches(texts[i], matches);
            var actual = matches.SelectMany(m => new[] { m.Start, m.End }).ToArray();
            if (!actual.SequenceEqual(golden.Spans[i]))
            {
                failures.Add($"{JsonSerializer.Serialize(texts[i])}: expected [{string.Join(",", golden.Spans[i])}] but got [{string.Join(",", actual)}]");
            }
        }

        Assert.AreEqual(0, failures.Count, $"/{golden.Pattern}/\n" + string.Join("\n", failures));
    }

    private sealed record RegexGolden(string Reference, List<string> Texts, List<PatternGolden> Patterns);

    private sealed record PatternGolden(string Name, string Pattern, string Js, List<int[]> Spans);
}
