using Microsoft.ML.Kto.Tokenization.Decoders;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class DecoderTests
{
    [TestMethod]
    public void ByteLevelMapsCharactersBackToUtf8() =>
        AssertDecodes("""{"type": "ByteLevel"}""", ["Hello", "Ġmy", "Ġfriend", "ĠÃ©", "Ċ"], ["Hello my friend é\n"]);

    [TestMethod]
    public void ByteLevelReplacesInvalidUtf8AndKeepsForeignTokensVerbatim() =>
        AssertDecodes("""{"type": "ByteLevel"}""", ["a", "â", "<my token>", "b"], ["a\uFFFD<my token>b"]);

    [TestMethod]
    public void ByteFallbackJoinsByteTokensIntoCharacters() =>
        AssertDecodes("""{"type": "ByteFallback"}""", ["<0x61>", "b", "<0xE2>", "<0x82>", "<0xAC>", "<0x6g>"], ["a", "b", "€", "<0x6g>"]);

    [TestMethod]
    public void ByteFallbackGivesOneReplacementCharacterPerInvalidByte() =>
        AssertDecodes("""{"type": "ByteFallback"}""", ["<0xE2>", "<0x82>", "x"], ["\uFFFD", "\uFFFD", "x"]);

    [TestMethod]
    public void FuseConcatenatesTokens() => AssertDecodes("""{"type": "Fuse"}""", ["a", " b", "c"], ["a bc"]);

    [TestMethod]
    public void StripRemovesUpToTheGivenCountFromEachToken() =>
        AssertDecodes("""{"type": "Strip", "content": " ", "start": 1, "stop": 2}""", ["  a  ", " b   ", "c"], [" a", "b ", "c"]);

    [TestMethod]
    public void ReplaceRewritesEachToken() =>
        AssertDecodes("""{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}""", ["▁Hey", "▁▁you"], [" Hey", "  you"]);

    [TestMethod]
    public void MetaspaceDropsReplacementsInTheFirstTokenUnlessPrependSchemeIsNever()
    {
        AssertDecodes("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}""", ["▁Hey", "▁friend!"], ["Hey", " friend!"]);
        AssertDecodes("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true}""", ["▁a▁b", "▁c"], ["ab", " c"]);
        AssertDecodes("""{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": true}""", ["▁Hey", "▁friend!"], [" Hey", " friend!"]);
    }

    [TestMethod]
    public void SequenceChainsDecodersAsLlama2Does() =>
        AssertDecodes(
            """
            {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
             {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
            """,
            ["▁Hello", "<0xE2>", "<0x82>", "<0xAC>", "▁", "▁world"],
            ["Hello€  world"]);

    private static void AssertDecodes(string json, List<string> tokens, string[] expected)
    {
        var actual = DecoderFactory.Create(TokenizerJson.Section(json)).DecodeChain(tokens).ToArray();
        CollectionAssert.AreEqual(expected, actual, $"got [{string.Join(", ", actual.Select(a => $"\"{a}\""))}]");
    }
}
