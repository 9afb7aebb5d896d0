using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Kto.Tokenization.PreTokenizers;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class PreTokenizerTests
{
    [TestMethod]
    [DataRow("Removed", false, new[] { "a", "b", "c" })]
    [DataRow("Isolated", false, new[] { "a", "-", "-", "b", "-", "c", "-" })]
    [DataRow("MergedWithPrevious", false, new[] { "a-", "-", "b-", "c-" })]
    [DataRow("MergedWithNext", false, new[] { "a", "-", "-b", "-c", "-" })]
    [DataRow("Contiguous", false, new[] { "a", "--", "b", "-", "c", "-" })]
    [DataRow("Removed", true, new[] { "-", "-", "-", "-" })]
    [DataRow("MergedWithPrevious", true, new[] { "a", "-", "-b", "-c", "-" })]
    public void SplitAppliesTheDelimiterBehavior(string behavior, bool invert, string[] expected) =>
        AssertPieces(
            $$"""{"type": "Split", "pattern": {"String": "-"}, "behavior": "{{behavior}}", "invert": {{(invert ? "true" : "false")}}}""",
            "a--b-c-", expected);

    [TestMethod]
    public void SplitWithRegexUsesTheRegexMatches() =>
        AssertPieces("""{"type": "Split", "pattern": {"Regex": "\\d+"}, "behavior": "Isolated", "invert": false}""", "ab12c3", ["ab", "12", "c", "3"]);

    [TestMethod]
    public void SplitWithTheLlama3PatternKeepsDigitsInThrees() =>
        AssertPieces(Llama3Split, "Hello  world's 12345\n\n  x", ["Hello", " ", " world", "'s", " ", "123", "45", "\n\n", " ", " x"]);

    [TestMethod]
    public void MetaspaceReplacesSpacesAndSplitsBeforeEachReplacement()
    {
        AssertPieces("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}""", "Hey friend!", ["▁Hey", "▁friend!"]);
        AssertPieces("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}""", "Hey   friend!", ["▁Hey", "▁", "▁", "▁friend!"]);
        AssertPieces("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": false}""", " Hey friend", ["▁Hey▁friend"]);
    }

    [TestMethod]
    [DataRow("always", true, "▁Hey▁you")]
    [DataRow("always", false, "▁Hey▁you")]
    [DataRow("first", true, "▁Hey▁you")]
    [DataRow("first", false, "Hey▁you")]
    [DataRow("never", true, "Hey▁you")]
    public void MetaspacePrependSchemeDecidesWhereTheReplacementIsPrepended(string scheme, bool atOriginalStart, string expected)
    {
        var preTokenizer = PreTokenizerFactory.Create(TokenizerJson.Section(
            $$"""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "{{scheme}}", "split": false}"""));
        var text = new PreTokenizedText("Hey you", atOriginalStart);
        preTokenizer.PreTokenize(text);
        CollectionAssert.AreEqual(new[] { expected }, text.Pieces.Select(p => text[p].ToString()).ToArray());
    }

    [TestMethod]
    public void MetaspaceLegacyAddPrefixSpaceFalseMeansNever() =>
        AssertPieces("""{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false}""", "Hey you", ["Hey", "▁you"]);

    [TestMethod]
    public void DigitsSplitsNumbersIndividuallyOrAsRuns()
    {
        AssertPieces("""{"type": "Digits", "individual_digits": true}""", "a12b3", ["a", "1", "2", "b", "3"]);
        AssertPieces("""{"type": "Digits", "individual_digits": false}""", "a12b3", ["a", "12", "b", "3"]);
    }

    [TestMethod]
    public void WhitespaceSplitsWordsFromSymbols() =>
        AssertPieces("""{"type": "Whitespace"}""", "Hey friend!  How's it_1?", ["Hey", "friend", "!", "How", "'", "s", "it_1", "?"]);

    [TestMethod]
    public void WhitespaceSplitDropsWhitespace() =>
        AssertPieces("""{"type": "WhitespaceSplit"}""", " Hey  friend!\tx\u3000y ", ["Hey", "friend!", "x", "y"]);

    [TestMethod]
    public void PunctuationIsolatesEachPunctuationCharacter()
    {
        AssertPieces("""{"type": "Punctuation"}""", "Hey, friend!!$", ["Hey", ",", " friend", "!", "!", "$"]);
        AssertPieces("""{"type": "Punctuation", "behavior": "Contiguous"}""", "Hey, friend!!", ["Hey", ",", " friend", "!!"]);
    }

    [TestMethod]
    public void ByteLevelSpellsUtf8BytesAndOptionallySplitsAndPrefixesASpace()
    {
        AssertPieces("""{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}""", "Hello world's", ["ĠHello", "Ġworld", "'s"]);
        AssertPieces("""{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}""", "a b\né", ["aĠbĊÃ©"]);
    }

    [TestMethod]
    public void SequenceAppliesEachStepToThePiecesOfThePrevious() =>
        AssertPieces(
            """{"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": true}]}""",
            "ab12 c3", ["ab", "1", "2", "c", "3"]);

    [TestMethod]
    public void ACatastrophicallyBacktrackingRegexFailsWithinTheTimeoutNamingThePatternAndPosition()
    {
        // Classic ReDoS: nested quantifiers that cannot match the final '!' try every split of the words.
        var preTokenizer = PreTokenizerFactory.Create(TokenizerJson.Section(
            """{"type": "Split", "pattern": {"Regex": "^(\\w+\\s?)*$"}, "behavior": "Isolated", "invert": false}"""));
        var text = new PreTokenizedText(string.Concat(Enumerable.Repeat("word ", 12)) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", atOriginalStart: true);
        var error = Assert.ThrowsExactly<TokenizerFormatException>(() => preTokenizer.PreTokenize(text));
        StringAssert.Contains(error.Message, "/^(\\w+\\s?)*$/");
        StringAssert.Contains(error.Message, "searching from input position 0 of 97 characters");
        Assert.AreEqual("$.component.pattern.Regex", error.JsonPath);
        Assert.IsInstanceOfType<System.Text.RegularExpressions.RegexMatchTimeoutException>(error.InnerException);
    }

    internal const string Llama3Split =
        """{"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}, "behavior": "Isolated", "invert": false}""";

    private static void AssertPieces(string json, string input, string[] expected)
    {
        var preTokenizer = PreTokenizerFactory.Create(TokenizerJson.Section(json));
        var text = new PreTokenizedText(input, atOriginalStart: true);
        preTokenizer.PreTokenize(text);
        var actual = text.Pieces.Select(p => text[p].ToString()).ToArray();
        CollectionAssert.AreEqual(expected, actual, $"got [{string.Join(", ", actual.Select(a => $"\"{a}\""))}]");
    }
}
