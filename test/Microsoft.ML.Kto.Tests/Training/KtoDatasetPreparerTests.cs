using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>
/// Tokenization of KTO rows as TRL does it (tests/test_kto_trainer.py: tokenized prompt is a prefix, completion ends
/// with EOS; chat template with add_generation_prompt; tools and chat_template_kwargs reach the template; length rules).
/// </summary>
[TestClass]
public sealed class KtoDatasetPreparerTests
{
    private static TinyKtoFixtures Fixture = null!;

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    private static KtoContent Messages(string json) => KtoContent.FromMessages((JsonArray)JsonNode.Parse(json)!);

    private static readonly KtoContent UserHi = Messages("""[{"role": "user", "content": "Hi"}]""");
    private static readonly KtoContent AssistantHello = Messages("""[{"role": "assistant", "content": "Hello there"}]""");

    private static int[] Encode(string text) => Fixture.Tokenizer.EncodeToIds(text, addSpecialTokens: false);

    private static PreparedExample PrepareOne(KtoRow row, int? maxLength = null)
    {
        var (examples, report) = new KtoDatasetPreparer(Fixture.Encoder(), maxLength).Prepare([row]);
        Assert.AreEqual(1, report.KeptRows);
        return examples[0];
    }

    [TestMethod]
    public void PlainTextPromptIsAPrefixAndTheCompletionEndsWithEos()
    {
        var row = new KtoRow(KtoContent.FromText("The sky is"), KtoContent.FromText(" the blue."), true, 1);
        var example = PrepareOne(row);
        CollectionAssert.AreEqual(Encode("The sky is"), example.PromptIds);
        // Completion ids are the ids of prompt+completion+EOS after the prompt's ids.
        var full = Encode("The sky is the blue." + TinyKtoFixtures.EndOfText);
        CollectionAssert.AreEqual(full, example.PromptIds.Concat(example.CompletionIds).ToArray());
        Assert.AreEqual(TinyKtoFixtures.EndOfTextId, example.CompletionIds[^1]);
        Assert.AreEqual(" the blue." + TinyKtoFixtures.EndOfText, Fixture.Tokenizer.Decode(example.CompletionIds));
        Assert.IsTrue(example.Label);
        Assert.AreEqual(1, example.SourceRow);
    }

    [TestMethod]
    public void EosIsNotDoubledWhenTheCompletionAlreadyEndsWithIt()
    {
        var plain = PrepareOne(new KtoRow(KtoContent.FromText("Two plus two"), KtoContent.FromText(" is four"), false, 1));
        var withEos = PrepareOne(new KtoRow(KtoContent.FromText("Two plus two"), KtoContent.FromText(" is four" + TinyKtoFixtures.EndOfText), false, 1));
        CollectionAssert.AreEqual(plain.CompletionIds, withEos.CompletionIds);
        Assert.AreEqual(1, withEos.CompletionIds.Count(id => id == TinyKtoFixtures.EndOfTextId));
    }

    [TestMethod]
    public void ConversationsRenderThroughTheChatTemplate()
    {
        var example = PrepareOne(new KtoRow(UserHi, AssistantHello, true, 1));
        // The prompt ends with the generation prompt; the completion is the assistant message as the template writes it.
        CollectionAssert.AreEqual(Encode("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"), example.PromptIds);
        CollectionAssert.AreEqual(
            Encode("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello there<|im_end|>\n"),
            example.PromptIds.Concat(example.CompletionIds).ToArray());
        Assert.AreEqual("Hello there<|im_end|>\n", Fixture.Tokenizer.Decode(example.CompletionIds));
        // The special tokens are single ids (the template writes them; the tokenizer must not split them).
        Assert.AreEqual(TinyKtoFixtures.EndOfTextId + 1, example.PromptIds[0]);
    }

    [TestMethod]
    public void ToolsAreRenderedIntoThePrompt()
    {
        var tools = (JsonArray)JsonNode.Parse("""[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]""")!;
        var withTools = PrepareOne(new KtoRow(UserHi, AssistantHello, true, 1, tools: tools));
        var without = PrepareOne(new KtoRow(UserHi, AssistantHello, true, 1));
        var prompt = Fixture.Tokenizer.Decode(withTools.PromptIds);
        StringAssert.StartsWith(prompt, "<|im_start|>system\nTools: [");
        StringAssert.Contains(prompt, "get_weather");
        Assert.IsFalse(Fixture.Tokenizer.Decode(without.PromptIds).Contains("get_weather", StringComparison.Ordinal));
        // Both renderings got the tools, so the completion is still just the assistant message.
        CollectionAssert.AreEqual(without.CompletionIds, withTools.CompletionIds);
    }

    [TestMethod]
    public void ChatTemplateKwargsReachTheTemplate()
    {
        var kwargs = new JsonObject { ["greeting"] = "Howdy" };
        var example = PrepareOne(new KtoRow(UserHi, AssistantHello, true, 1, chatTemplateKwargs: kwargs));
        CollectionAssert.AreEqual(Encode("Howdy\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"), example.PromptIds);
        Assert.AreEqual("Hello there<|im_end|>\n", Fixture.Tokenizer.Decode(example.CompletionIds));
    }

    [TestMethod]
    public void RowsWhosePromptReachesMaxLengthAreDroppedAndLongerRowsTruncatedFromTheRight()
    {
        var shortPrompt = new KtoRow(KtoContent.FromText("Hi"), KtoContent.FromText(" one two three four five six"), true, 1);
        var longPrompt = new KtoRow(KtoContent.FromText("In the morning the sun rises"), KtoContent.FromText(" yes"), false, 2);
        var fits = new KtoRow(KtoContent.FromText("Hi"), KtoContent.FromText(" ok"), false, 3);
        var maxLength = Encode("In the morning the sun rises").Length; // the long prompt alone reaches the limit exactly
        var fullShort = Encode("Hi one two three four five six" + TinyKtoFixtures.EndOfText);
        Assert.IsTrue(fullShort.Length > maxLength, "fixture: the first row must need truncation");
        Assert.IsTrue(Encode("Hi ok" + TinyKtoFixtures.EndOfText).Length <= maxLength, "fixture: the third row must fit");

        var (examples, report) = new KtoDatasetPreparer(Fixture.Encoder(), maxLength).Prepare([shortPrompt, longPrompt, fits]);

        Assert.AreEqual(new PreparationReport(3, 2, 1, 1, 0), report);
        CollectionAssert.AreEqual(new[] { 1, 3 }, examples.Select(e => e.SourceRow).ToArray());
        // Truncation keeps the start: the first maxLength ids of prompt+completion (the EOS is cut off).
        CollectionAssert.AreEqual(fullShort[..maxLength], examples[0].PromptIds.Concat(examples[0].CompletionIds).ToArray());
        Assert.AreEqual(maxLength, examples[0].PromptIds.Length + examples[0].CompletionIds.Length);
        CollectionAssert.AreEqual(Encode("Hi ok" + TinyKtoFixtures.EndOfText), examples[1].PromptIds.Concat(examples[1].CompletionIds).ToArray());
        StringAssert.Contains(report.Warnings().Single(), "1 of 3 rows were dropped");
    }

    [TestMethod]
    public void WithoutMaxLengthNothingIsCut()
    {
        var row = new KtoRow(KtoContent.FromText("In the morning the sun rises"), KtoContent.FromText(" in the east, as on every other day"), true, 1);
        var (examples, report) = new KtoDatasetPreparer(Fixture.Encoder(), null).Prepare([row]);
        Assert.AreEqual(new PreparationReport(1, 1, 0, 0, 0), report);
        Assert.AreEqual(TinyKtoFixtures.EndOfTextId, examples[0].CompletionIds[^1]);
    }
}
