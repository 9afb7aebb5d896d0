using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Tests.Tokenization;

[TestClass]
public sealed class MalformedTokenizerTests
{
    private static readonly string Model = TokenizerJson.Bpe(["a", "b", "ab"], """["a b"]""");

    [TestMethod]
    public void MalformedJsonNamesTheFile()
    {
        var error = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson("{\"model\": "));
        Assert.AreEqual("tokenizer.json", error.FileName);
        StringAssert.Contains(error.Message, "malformed JSON");

        var configError = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson(TokenizerJson.Tokenizer(Model), "{oops"));
        Assert.AreEqual("tokenizer_config.json", configError.FileName);
    }

    [TestMethod]
    public void HostilyNestedComponentSequencesAreRejectedBeforeTheLoaderRecurses()
    {
        static string Nested(int depth) =>
            string.Concat(Enumerable.Repeat("""{"type": "Sequence", "normalizers": [""", depth)) + """{"type": "NFC"}""" + string.Concat(Enumerable.Repeat("]}", depth));

        // 100 levels is absurd but harmless: it loads and normalizes.
        CollectionAssert.AreEqual(new[] { 2 }, HfTokenizer.FromJson(TokenizerJson.Tokenizer(Model, normalizer: Nested(100))).EncodeToIds("ab"));

        // 100,000 levels would overflow the stack of a recursive loader; the JSON depth bound stops it first.
        var error = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson(TokenizerJson.Tokenizer(Model, normalizer: Nested(100_000))));
        Assert.AreEqual("tokenizer.json", error.FileName);
        StringAssert.Contains(error.Message, "maximum configured depth of 256");
    }

    [TestMethod]
    [DataRow("-15")]            // build/fuzz: a negative id indexed outside the id-to-token table
    [DataRow("2147483647")]     // would size that table at 2^31 entries
    [DataRow("1.5")]
    public void TokenIdsOutsideTheAcceptedRangeAreRejected(string id)
    {
        var error = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson(TokenizerJson.Tokenizer($$"""{"type": "BPE", "vocab": {"a": 0, "b": {{id}}}, "merges": []}""")));
        StringAssert.Contains(error.Message, $"expected a token id in [0, 16777216) but found {id}");
    }

    [TestMethod]
    public void MissingModelIsReported() =>
        AssertRejected("""{"normalizer": null}""", "$.model", "required field is missing");

    [TestMethod]
    [DataRow("""{"type": "BertNormalizer"}""", "null", "$.normalizer", "unsupported normalizer type 'BertNormalizer'")]
    [DataRow("null", """{"type": "Sequence", "pretokenizers": [{"type": "Digits"}, {"type": "UnicodeScripts"}]}""", "$.pre_tokenizer.pretokenizers[1]", "unsupported pre-tokenizer type 'UnicodeScripts'")]
    [DataRow("null", """{"type": "ByteLevel", "add_prefix_space": "yes"}""", "$.pre_tokenizer.add_prefix_space", "expected a boolean but found a string")]
    [DataRow("null", """{"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Sideways"}""", "$.pre_tokenizer.behavior", "unknown split behavior 'Sideways'")]
    [DataRow("null", """{"type": "Split", "pattern": {"Glob": "*"}, "behavior": "Isolated"}""", "$.pre_tokenizer.pattern", "expected {\"String\"")]
    [DataRow("null", """{"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}""", "$.pre_tokenizer.pattern.Regex", "regex not supported")]
    [DataRow("null", """{"type": "Metaspace", "replacement": "ab"}""", "$.pre_tokenizer.replacement", "exactly one character")]
    [DataRow("null", """{"type": "Metaspace", "replacement": "_", "prepend_scheme": "sometimes"}""", "$.pre_tokenizer.prepend_scheme", "unknown prepend_scheme")]
    [DataRow("null", """{"pretokenizers": []}""", "$.pre_tokenizer.type", "required field is missing")]
    public void UnsupportedOrMistypedComponentsNameTheirPath(string normalizer, string preTokenizer, string path, string message) =>
        AssertRejected(TokenizerJson.Tokenizer(Model, normalizer: normalizer, preTokenizer: preTokenizer), path, message);

    [TestMethod]
    public void UnsupportedPostProcessorsAndDecodersAreRejected()
    {
        AssertRejected(TokenizerJson.Tokenizer(Model, postProcessor: """{"type": "RobertaProcessing"}"""), "$.post_processor", "unsupported post-processor type 'RobertaProcessing'");
        AssertRejected(TokenizerJson.Tokenizer(Model, decoder: """{"type": "CTC"}"""), "$.decoder", "unsupported decoder type 'CTC'");
        AssertRejected(
            TokenizerJson.Tokenizer(Model, postProcessor: """{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}}"""),
            "$.post_processor.single[0].SpecialToken", "special token '<s>' is not defined");
    }

    [TestMethod]
    public void UnsupportedModelsAndModelErrorsAreRejected()
    {
        AssertRejected(TokenizerJson.Tokenizer("""{"type": "WordPiece", "vocab": {}}"""), "$.model", "unsupported model type 'WordPiece'");
        AssertRejected(TokenizerJson.Tokenizer("""{"type": "Unigram", "vocab": []}"""), "$.model", "unsupported model type 'Unigram'");
        AssertRejected(TokenizerJson.Tokenizer(TokenizerJson.Bpe(["a", "b"], """["a b"]""")), "$.model.merges[0]", "merge token 'ab' is not in the vocabulary");
        AssertRejected(TokenizerJson.Tokenizer(TokenizerJson.Bpe(["a", "b"], """["ab"]""")), "$.model.merges[0]", "expected a merge");
        AssertRejected(TokenizerJson.Tokenizer(TokenizerJson.Bpe(["a"], "[]", """, "dropout": 0.1""")), "$.model.dropout", "dropout is not supported");
        AssertRejected(TokenizerJson.Tokenizer(TokenizerJson.Bpe(["a"], "[]", """, "unk_token": "<unk>" """)), "$.model.unk_token", "not in the vocabulary");
        AssertRejected(TokenizerJson.Tokenizer("""{"type": "BPE", "vocab": {"a": "zero"}, "merges": []}"""), "$.model.vocab[\"a\"]", "expected a token id in [0, 16777216) but found a string");
    }

    [TestMethod]
    public void DropoutOfZeroIsAccepted() =>
        CollectionAssert.AreEqual(new[] { 0 }, HfTokenizer.FromJson(TokenizerJson.Tokenizer(TokenizerJson.Bpe(["a"], "[]", """, "dropout": 0.0"""))).EncodeToIds("a"));

    [TestMethod]
    public void ConfigTokensMustExistAndFlagsMustBeConsistent()
    {
        var json = TokenizerJson.Tokenizer(Model);
        var missing = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson(json, """{"bos_token": "<s>"}"""));
        Assert.AreEqual("tokenizer_config.json", missing.FileName);
        Assert.AreEqual("$.bos_token", missing.JsonPath);

        var noBos = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson(json, """{"add_bos_token": true}"""));
        StringAssert.Contains(noBos.Message, "add_bos_token is true but there is no bos_token");

        var badTemplate = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson(json, """{"chat_template": [{"name": "x"}]}"""));
        Assert.AreEqual("$.chat_template[0].template", badTemplate.JsonPath);
    }

    [TestMethod]
    public void MissingFilesAreReported()
    {
        var missingDirectory = Path.Combine(Path.GetTempPath(), "no-such-tokenizer-" + Guid.NewGuid());
        Assert.ThrowsException<DirectoryNotFoundException>(() => HfTokenizer.FromDirectory(missingDirectory));

        var empty = Directory.CreateTempSubdirectory("hf-tokenizer-empty-").FullName;
        try
        {
            var error = Assert.ThrowsException<FileNotFoundException>(() => HfTokenizer.FromDirectory(empty));
            StringAssert.Contains(error.Message, "tokenizer.json");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static void AssertRejected(string tokenizerJson, string path, string message)
    {
        var error = Assert.ThrowsException<TokenizerFormatException>(() => HfTokenizer.FromJson(tokenizerJson));
        Assert.AreEqual("tokenizer.json", error.FileName);
        Assert.AreEqual(path, error.JsonPath, error.Message);
        StringAssert.Contains(error.Message, message);
    }
}
