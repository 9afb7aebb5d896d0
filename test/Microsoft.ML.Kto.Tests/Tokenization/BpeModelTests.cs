using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class BpeModelTests
{
    private static readonly string[] Vocab = ["<unk>", "a", "b", "c", "ab", "abc", "bc", "<0x64>", "<0xC3>", "<0xA9>"];

    [TestMethod]
    [DataRow("""["a b", "ab c"]""")]
    [DataRow("""[["a", "b"], ["ab", "c"]]""")]
    public void MergesApplyByRankInEitherFormat(string merges)
    {
        var tokenizer = Create(merges, "");
        CollectionAssert.AreEqual(new[] { 5 }, tokenizer.EncodeToIds("abc"));
        CollectionAssert.AreEqual(new[] { 4, 4 }, tokenizer.EncodeToIds("abab"));
        CollectionAssert.AreEqual(new[] { 2, 3 }, tokenizer.EncodeToIds("bc"));
    }

    [TestMethod]
    public void LowerRankMergesWinOverEarlierPositions()
    {
        // "b c" outranks "a b", so "abc" becomes a + bc although "ab" comes first in the text.
        var tokenizer = Create("""["b c", "a b"]""", "");
        CollectionAssert.AreEqual(new[] { 1, 6 }, tokenizer.EncodeToIds("abc"));
    }

    [TestMethod]
    public void IgnoreMergesTakesWholeWordsFromTheVocabulary()
    {
        CollectionAssert.AreEqual(new[] { 6 }, Create("""["a b"]""", """, "ignore_merges": true""").EncodeToIds("bc"));
        CollectionAssert.AreEqual(new[] { 2, 3 }, Create("""["a b"]""", """, "ignore_merges": false""").EncodeToIds("bc"));
    }

    [TestMethod]
    public void ByteFallbackSpellsUnknownCharactersAsBytes()
    {
        var tokenizer = Create("""["a b", "ab c"]""", """, "byte_fallback": true, "unk_token": "<unk>" """);
        CollectionAssert.AreEqual(new[] { 5, 7, 8, 9 }, tokenizer.EncodeToIds("abcdé"));
        // 'x' (0x78) has no byte token, so it falls back to <unk>.
        CollectionAssert.AreEqual(new[] { 1, 0 }, tokenizer.EncodeToIds("ax"));
    }

    [TestMethod]
    public void UnknownCharactersFuseOnlyWithFuseUnk()
    {
        CollectionAssert.AreEqual(new[] { 1, 0, 2 }, Create("[]", """, "unk_token": "<unk>", "fuse_unk": true""").EncodeToIds("axyb"));
        CollectionAssert.AreEqual(new[] { 1, 0, 0, 2 }, Create("[]", """, "unk_token": "<unk>", "fuse_unk": false""").EncodeToIds("axyb"));
        CollectionAssert.AreEqual(new[] { 1, 2 }, Create("[]", "").EncodeToIds("axyb"), "without unk_token unknown characters are dropped");
    }

    [TestMethod]
    public void ContinuingSubwordPrefixAndEndOfWordSuffixShapeTheSymbols()
    {
        var prefixed = HfTokenizer.FromJson(TokenizerJson.Tokenizer(TokenizerJson.Bpe(
            ["a", "##b", "ab", "b"], """["a ##b"]""", """, "continuing_subword_prefix": "##" """)));
        CollectionAssert.AreEqual(new[] { "ab" }, prefixed.EncodeToTokens("ab"));
        CollectionAssert.AreEqual(new[] { "b", "##b" }, prefixed.EncodeToTokens("bb"));

        var suffixed = HfTokenizer.FromJson(TokenizerJson.Tokenizer(TokenizerJson.Bpe(
            ["a", "b</w>", "ab</w>", "a</w>"], """["a b</w>"]""", """, "end_of_word_suffix": "</w>" """)));
        CollectionAssert.AreEqual(new[] { "ab</w>" }, suffixed.EncodeToTokens("ab"));
        CollectionAssert.AreEqual(new[] { "a", "a</w>" }, suffixed.EncodeToTokens("aa"));
    }

    [TestMethod]
    public void ManyOccurrencesOfTheSameWordAreStable()
    {
        // Exercises the word cache: the second and later encodings come from it.
        var tokenizer = HfTokenizer.FromJson(TokenizerJson.Tokenizer(
            TokenizerJson.Bpe(Vocab, """["a b", "ab c"]"""), preTokenizer: """{"type": "WhitespaceSplit"}"""));
        CollectionAssert.AreEqual(Enumerable.Repeat(5, 50).ToArray(), tokenizer.EncodeToIds(string.Join(" ", Enumerable.Repeat("abc", 50))));
    }

    private static HfTokenizer Create(string merges, string extra) =>
        HfTokenizer.FromJson(TokenizerJson.Tokenizer(TokenizerJson.Bpe(Vocab, merges, extra)));
}
