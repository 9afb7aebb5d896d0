using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Kto.Tests.Data.DataTestHelpers;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class ImplicitPromptTests
{
    [TestMethod]
    [DataRow("The sky is blue.", "The sky is green.", "The sky is", " blue.", " green.")]
    [DataRow("I like cats", "I like cars", "I like ca", "ts", "rs")]
    [DataRow("Hello", "Hello world", "Hell", "o", "o world")]
    [DataRow("abc", "abc", "ab", "c", "c")]
    [DataRow("abc", "xbc", "", "abc", "xbc")]
    [DataRow(" a", " b", "", " a", " b")]
    [DataRow("Q: 2+2? A: 4", "Q: 2+2? A: 5", "Q: 2+2? A:", " 4", " 5")]
    [DataRow("Hi \U0001F600", "Hi \U0001F601", "Hi", " \U0001F600", " \U0001F601")]
    public void TextSplitsAsTrlExtractPrompt(string chosen, string rejected, string prompt, string chosenRest, string rejectedRest)
    {
        var split = ImplicitPrompt.Extract(KtoContent.FromText(chosen), KtoContent.FromText(rejected));

        Assert.AreEqual(prompt, split.Prompt.Text);
        Assert.AreEqual(chosenRest, split.Chosen.Text);
        Assert.AreEqual(rejectedRest, split.Rejected.Text);
    }

    [TestMethod]
    public void ConversationsSplitAtTheFirstDifferentMessage()
    {
        var chosen = Messages("""
            [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Sky color?"},
             {"role": "assistant", "content": "Blue."}]
            """);
        var rejected = Messages("""
            [{"content": "Be brief.", "role": "system"}, {"role": "user", "content": "Sky color?"},
             {"role": "assistant", "content": "Green."}, {"role": "user", "content": "Sure?"}]
            """);

        var split = ImplicitPrompt.Extract(chosen, rejected);

        AssertJsonEqual("""[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Sky color?"}]""", split.Prompt.Messages);
        AssertJsonEqual("""[{"role": "assistant", "content": "Blue."}]""", split.Chosen.Messages);
        AssertJsonEqual("""[{"role": "assistant", "content": "Green."}, {"role": "user", "content": "Sure?"}]""", split.Rejected.Messages);
    }

    [TestMethod]
    public void ConversationThatIsAPrefixKeepsItsLastMessageAsCompletion()
    {
        var chosen = Messages("""[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]""");
        var rejected = Messages("""
            [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye"}]
            """);

        var split = ImplicitPrompt.Extract(chosen, rejected);

        AssertJsonEqual("""[{"role": "user", "content": "Hi"}]""", split.Prompt.Messages);
        AssertJsonEqual("""[{"role": "assistant", "content": "Hello"}]""", split.Chosen.Messages);
        AssertJsonEqual("""[{"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye"}]""", split.Rejected.Messages);
    }

    [TestMethod]
    public void LoaderExtractsPromptWhenThereIsNoPromptColumn()
    {
        var dataset = LoadRows("""
            {"chosen": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "good"}],
             "rejected": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "bad"}]}
            """);

        Assert.AreEqual(new KtoDataFormat(KtoDataLayout.Paired, KtoContentKind.Conversation, 1, 1), dataset.Format);
        AssertJsonEqual("""[{"role": "user", "content": "Q"}]""", dataset.Rows[0].Prompt.Messages);
        AssertJsonEqual("""[{"role": "assistant", "content": "good"}]""", dataset.Rows[0].Completion.Messages);
        AssertJsonEqual("""[{"role": "assistant", "content": "bad"}]""", dataset.Rows[1].Completion.Messages);
    }

    [TestMethod]
    public void TextPromptNextToConversationsIsReplacedByTheExtractedOne()
    {
        var dataset = LoadRows("""
            {"prompt": "Q", "chosen": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "good"}],
             "rejected": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "bad"}]}
            """);

        Assert.AreEqual(1, dataset.Format.ImplicitPromptRowCount);
        AssertJsonEqual("""[{"role": "user", "content": "Q"}]""", dataset.Rows[0].Prompt.Messages);
        Assert.IsFalse(dataset.Rows[0].ExtraColumns.ContainsKey("prompt"));
    }

    [TestMethod]
    public void PromptOfTheSameKindIsUsedAsGiven()
    {
        var dataset = LoadRows(
            """{"prompt": "The sky is", "chosen": " blue.", "rejected": " green."}""",
            """{"prompt": null, "chosen": "The sun is hot.", "rejected": "The sun is cold."}""");

        Assert.AreEqual(new KtoDataFormat(KtoDataLayout.Paired, KtoContentKind.Text, 2, 1), dataset.Format);
        CollectionAssert.AreEqual(
            new[] { "The sky is", "The sun is", "The sky is", "The sun is" },
            dataset.Rows.Select(row => row.Prompt.Text).ToArray());
        CollectionAssert.AreEqual(
            new[] { " blue.", " cold.", " green.", " hot." },
            dataset.Rows.Select(row => row.Completion.Text).ToArray());
    }

    [TestMethod]
    public void TypedPreferenceExamplesWithoutPrompt()
    {
        var dataset = KtoDatasetLoader.Load(new[]
        {
            new PreferenceExample { Chosen = "2+2=4", Rejected = "2+2=5" },
            new PreferenceExample { Prompt = "Capital of France?", Chosen = " Paris", Rejected = " Lyon" },
        });

        CollectionAssert.AreEqual(
            new[] { "2+2=", "Capital of France?", "2+2=", "Capital of France?" },
            dataset.Rows.Select(row => row.Prompt.Text).ToArray());
        CollectionAssert.AreEqual(
            new[] { "4", " Lyon", "5", " Paris" },
            dataset.Rows.Select(row => row.Completion.Text).ToArray());
    }

    [TestMethod]
    public void KindsMustMatchAndNeitherMayBeEmpty()
    {
        var messages = Messages("""[{"role": "user", "content": "Hi"}]""");

        Assert.ThrowsExactly<ArgumentException>(() => ImplicitPrompt.Extract(KtoContent.FromText("Hi"), messages));
        Assert.ThrowsExactly<ArgumentException>(() => ImplicitPrompt.Extract(KtoContent.FromText(""), KtoContent.FromText("Hi")));
    }

    private static KtoContent Messages(string json) => KtoContent.FromMessages(JsonNode.Parse(json)!.AsArray());
}
