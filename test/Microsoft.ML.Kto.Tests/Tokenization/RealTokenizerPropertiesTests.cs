
namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>Vocabulary sizes, special tokens and templates of the real tokenizers, as transformers reports them.</summary>
[TestClass]
public sealed class RealTokenizerPropertiesTests
{
    [TestMethod]
    public void Qwen3()
    {
        var tokenizer = RealTokenizers.Get("qwen3");
        Assert.AreEqual(151669, tokenizer.VocabSize);
        Assert.IsNull(tokenizer.BosToken);
        Assert.IsNull(tokenizer.BosTokenId);
        Assert.AreEqual("<|im_end|>", tokenizer.EosToken);
        Assert.AreEqual(151645, tokenizer.EosTokenId);
        Assert.AreEqual("<|endoftext|>", tokenizer.PadToken);
        Assert.AreEqual(151643, tokenizer.PadTokenId);
        Assert.AreEqual(0, tokenizer.PrefixTokenIds.Count);
        Assert.IsTrue(tokenizer.SpecialTokenIds.Contains(151644), "<|im_start|> is special");
        Assert.IsFalse(tokenizer.SpecialTokenIds.Contains(151667), "<think> is an added but not a special token");
        StringAssert.StartsWith(tokenizer.ChatTemplate, "{%- if tools %}");
    }

    [TestMethod]
    public void Llama3()
    {
        var tokenizer = RealTokenizers.Get("llama3");
        Assert.AreEqual(128256, tokenizer.VocabSize);
        Assert.AreEqual(128000, tokenizer.BosTokenId);
        Assert.AreEqual(128001, tokenizer.EosTokenId);
        Assert.IsNull(tokenizer.PadTokenId);
        Assert.AreEqual(256, tokenizer.SpecialTokenIds.Count);
        Assert.AreEqual("<|eot_id|>", tokenizer.IdToToken(128009));
        StringAssert.StartsWith(tokenizer.ChatTemplate, "{% set loop_messages = messages %}");
    }

    [TestMethod]
    public void Llama2()
    {
        var tokenizer = RealTokenizers.Get("llama2");
        Assert.AreEqual(32000, tokenizer.VocabSize);
        Assert.AreEqual(1, tokenizer.BosTokenId);
        Assert.AreEqual(2, tokenizer.EosTokenId);
        CollectionAssert.AreEqual(new[] { 1 }, tokenizer.PrefixTokenIds.ToArray());
        Assert.AreEqual(0, tokenizer.SuffixTokenIds.Count);
        Assert.IsNull(tokenizer.ChatTemplate);
        Assert.AreEqual(0, tokenizer.ChatTemplates.Count);
        Assert.AreEqual("<0x0A>", tokenizer.IdToToken(13));
    }
}
