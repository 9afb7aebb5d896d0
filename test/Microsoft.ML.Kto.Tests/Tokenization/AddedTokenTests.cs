using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class AddedTokenTests
{
    private const string Characters = "abcdehilmnoxy <>,.!";

    [TestMethod]
    public void LongestAddedTokenWinsAtTheSamePosition()
    {
        var tokenizer = Create(TokenizerJson.AddedToken(100, "<a>"), TokenizerJson.AddedToken(101, "<a><b>"));
        CollectionAssert.AreEqual(new[] { "x", "<a><b>", "<a>", "b" }, tokenizer.EncodeToTokens("x<a><b><a>b"));
    }

    [TestMethod]
    public void LStripAndRStripSwallowNeighbouringWhitespace()
    {
        var tokenizer = Create(TokenizerJson.AddedToken(100, "<m>", lstrip: true), TokenizerJson.AddedToken(101, "<n>", rstrip: true));
        CollectionAssert.AreEqual(new[] { "x", "<m>", " ", " ", "y" }, tokenizer.EncodeToTokens("x  <m>  y"));
        CollectionAssert.AreEqual(new[] { "x", " ", " ", "<n>", "y" }, tokenizer.EncodeToTokens("x  <n>  y"));
    }

    [TestMethod]
    public void SingleWordTokensDoNotMatchInsideWords()
    {
        var tokenizer = Create(TokenizerJson.AddedToken(100, "ab", singleWord: true));
        CollectionAssert.AreEqual(
            new[] { "ab", " ", "c", "a", "b", " ", "a", "b", "c", " ", "ab", "," },
            tokenizer.EncodeToTokens("ab cab abc ab,"));
    }

    [TestMethod]
    public void NonNormalizedTokensMatchTheRawTextAndNormalizedOnesTheNormalizedText()
    {
        var tokenizer = CreateWithNormalizer(
            """{"type": "Lowercase"}""",
            TokenizerJson.AddedToken(100, "Hi", normalized: false),
            TokenizerJson.AddedToken(101, "HELLO", normalized: true));
        CollectionAssert.AreEqual(new[] { "Hi", " ", "h", "i", " ", "HELLO", " ", "HELLO" }, tokenizer.EncodeToTokens("Hi HI hello HeLLo"));
    }

    [TestMethod]
    public void NormalizationAppliesToEachSectionBetweenRawTokens()
    {
        // The Prepend normalizer runs on each text section separately, as in HF (Llama-2's "legacy" behaviour).
        var tokenizer = CreateWithNormalizer(
            """{"type": "Prepend", "prepend": ">"}""",
            TokenizerJson.AddedToken(100, "<s>", special: true));
        CollectionAssert.AreEqual(new[] { ">", "a", "<s>", ">", "b" }, tokenizer.EncodeToTokens("a<s>b"));
    }

    [TestMethod]
    public void SpecialTokensAreRecognisedWithoutAddingSpecialTokensAndSkippedOnRequestWhenDecoding()
    {
        var tokenizer = Create(TokenizerJson.AddedToken(100, "<s>", special: true), TokenizerJson.AddedToken(101, "<x>"));
        var ids = tokenizer.EncodeToIds("<s>a<x>", addSpecialTokens: false);
        CollectionAssert.AreEqual(new[] { 100, 0, 101 }, ids);
        Assert.AreEqual("<s> a <x>", tokenizer.Decode(ids));
        Assert.AreEqual("a <x>", tokenizer.Decode(ids, skipSpecialTokens: true));
        CollectionAssert.AreEquivalent(new[] { 100 }, tokenizer.SpecialTokenIds.ToArray());
        Assert.AreEqual(Characters.Length + 2, tokenizer.VocabSize);
        Assert.AreEqual(100, tokenizer.TokenToId("<s>"));
        Assert.AreEqual("<x>", tokenizer.IdToToken(101));
        Assert.IsNull(tokenizer.IdToToken(99));
        Assert.IsNull(tokenizer.TokenToId("zz"));
    }

    private static HfTokenizer Create(params string[] addedTokens) => CreateWithNormalizer("null", addedTokens);

    private static HfTokenizer CreateWithNormalizer(string normalizer, params string[] addedTokens) =>
        HfTokenizer.FromJson(TokenizerJson.Tokenizer(
            TokenizerJson.CharModel(Characters),
            normalizer: normalizer,
            addedTokens: "[" + string.Join(", ", addedTokens) + "]"));
}
