using Microsoft.ML.Kto.Tokenization.Normalizers;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class NormalizerTests
{
    [TestMethod]
    [DataRow("""{"type": "NFC"}""", "e\u0301 ﬁ", "\u00e9 ﬁ")]
    [DataRow("""{"type": "NFD"}""", "\u00e9", "e\u0301")]
    [DataRow("""{"type": "NFKC"}""", "ﬁ ＡＢ e\u0301", "fi AB \u00e9")]
    [DataRow("""{"type": "NFKD"}""", "ﬁ\u00e9", "fie\u0301")]
    [DataRow("""{"type": "Prepend", "prepend": "▁"}""", "Hey", "▁Hey")]
    [DataRow("""{"type": "Prepend", "prepend": "▁"}""", "", "")]
    [DataRow("""{"type": "Replace", "pattern": {"String": " "}, "content": "▁"}""", " a  b", "▁a▁▁b")]
    [DataRow("""{"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}""", "a  b   c d", "a b c d")]
    [DataRow("""{"type": "Lowercase"}""", "HeLLo İSTANBUL ΣΑΣ", "hello i\u0307stanbul σασ")]
    [DataRow("""{"type": "Strip", "strip_left": true, "strip_right": false}""", " \t a b \n", "a b \n")]
    [DataRow("""{"type": "Strip", "strip_left": true, "strip_right": true}""", " \t a b \n", "a b")]
    [DataRow("""{"type": "Sequence", "normalizers": [{"type": "Strip", "strip_left": true, "strip_right": true}, {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}""", "  a b ", "▁a▁b")]
    public void NormalizerRewritesText(string json, string input, string expected) =>
        Assert.AreEqual(expected, NormalizerFactory.Create(TokenizerJson.Section(json)).Normalize(input));
}
