using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class SpecialTokensAndConfigTests
{
    private const string Template =
        """
        {"type": "TemplateProcessing",
         "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
         "pair": [],
         "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}}
        """;

    [TestMethod]
    public void TemplateProcessingWrapsTheSequenceOnlyWhenSpecialTokensAreRequested()
    {
        var tokenizer = Create(Template);
        CollectionAssert.AreEqual(new[] { 1, 3, 2 }, tokenizer.EncodeToIds("a"));
        CollectionAssert.AreEqual(new[] { 3 }, tokenizer.EncodeToIds("a", addSpecialTokens: false));
        CollectionAssert.AreEqual(new[] { 1, 2 }, tokenizer.EncodeToIds(""));
    }

    [TestMethod]
    public void SequencePostProcessorAppliesTemplatesInsideOut()
    {
        var tokenizer = Create($$"""{"type": "Sequence", "processors": [{"type": "ByteLevel", "trim_offsets": false}, {{Template}}]}""");
        CollectionAssert.AreEqual(new[] { 1, 3, 2 }, tokenizer.EncodeToIds("a"));
    }

    [TestMethod]
    public void ConfigAddBosAndAddEosOverrideTheTokenizerJsonTemplate()
    {
        var config = """{"bos_token": {"content": "<s>", "__type": "AddedToken"}, "eos_token": "</s>", "add_bos_token": false, "add_eos_token": true}""";
        var tokenizer = Create(Template, config);
        CollectionAssert.AreEqual(new[] { 3, 2 }, tokenizer.EncodeToIds("a"));
        Assert.AreEqual("<s>", tokenizer.BosToken);
        Assert.AreEqual(1, tokenizer.BosTokenId);
        Assert.AreEqual(2, tokenizer.EosTokenId);
        Assert.IsNull(tokenizer.PadToken);
        Assert.IsNull(tokenizer.PadTokenId);
    }

    [TestMethod]
    public void AFlagTheConfigLeavesOutKeepsThatSideOfTheTokenizerJsonTemplate()
    {
        const string BosOnly = """
            {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "pair": [],
             "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}}
            """;
        CollectionAssert.AreEqual(new[] { 1, 3, 2 }, Create(BosOnly, """{"bos_token": "<s>", "eos_token": "</s>", "add_eos_token": true}""").EncodeToIds("a"));
        CollectionAssert.AreEqual(new[] { 3, 2 }, Create(Template, """{"bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false}""").EncodeToIds("a"));
    }

    [TestMethod]
    public void ConfigSpecialTokensCountAsSpecialWhenDecoding()
    {
        var tokenizer = Create("null", """{"pad_token": "a", "additional_special_tokens": ["b"]}""");
        Assert.AreEqual("a", tokenizer.PadToken);
        CollectionAssert.AreEquivalent(new[] { 1, 2, 3, 4 }, tokenizer.SpecialTokenIds.ToArray());
        Assert.AreEqual("c", tokenizer.Decode([3, 4, 5], skipSpecialTokens: true));
    }

    [TestMethod]
    public void ChatTemplateMayBeAStringOrANamedListAndTheJinjaFileWins()
    {
        Assert.AreEqual("T", Create("null", """{"chat_template": "T"}""").ChatTemplate);
        Assert.IsNull(Create("null", "{}").ChatTemplate);

        var named = Create("null", """{"chat_template": [{"name": "default", "template": "D"}, {"name": "tool_use", "template": "U"}]}""");
        Assert.AreEqual("D", named.ChatTemplate);
        Assert.AreEqual("U", named.ChatTemplates["tool_use"]);

        var withJinja = HfTokenizer.FromJson(Json("null"), """{"chat_template": [{"name": "default", "template": "D"}, {"name": "tool_use", "template": "U"}]}""", "J");
        Assert.AreEqual("J", withJinja.ChatTemplate);
        Assert.AreEqual("U", withJinja.ChatTemplates["tool_use"]);
    }

    [TestMethod]
    public void FromDirectoryReadsAllThreeFiles()
    {
        var directory = Directory.CreateTempSubdirectory("hf-tokenizer-test-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "tokenizer.json"), Json(Template));
            File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), """{"eos_token": "</s>", "chat_template": "from config"}""");
            File.WriteAllText(Path.Combine(directory, "chat_template.jinja"), "from jinja");
            var tokenizer = HfTokenizer.FromDirectory(directory);
            Assert.AreEqual("from jinja", tokenizer.ChatTemplate);
            Assert.AreEqual(2, tokenizer.EosTokenId);
            CollectionAssert.AreEqual(new[] { 1, 3, 2 }, tokenizer.EncodeToIds("a"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void LoneSurrogatesAreEncodedAsTheReplacementCharacter()
    {
        var tokenizer = HfTokenizer.FromJson(TokenizerJson.Tokenizer(
            TokenizerJson.Bpe(["a", "\uFFFD"]), preTokenizer: """{"type": "Digits"}"""));
        CollectionAssert.AreEqual(new[] { 0, 1, 0, 1 }, tokenizer.EncodeToIds("a\uD800a\uDC00"));
    }

    private static HfTokenizer Create(string postProcessor, string? config = null) => HfTokenizer.FromJson(Json(postProcessor), config);

    private static string Json(string postProcessor) => TokenizerJson.Tokenizer(
        TokenizerJson.Bpe(["<unk>", "<s>", "</s>", "a", "b", "c"]),
        postProcessor: postProcessor,
        addedTokens: $"[{TokenizerJson.AddedToken(1, "<s>", special: true)}, {TokenizerJson.AddedToken(2, "</s>", special: true)}]");
}
