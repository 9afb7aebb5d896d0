using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Kto.Tests.Data.DataTestHelpers;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class ValidationErrorTests
{
    [TestMethod]
    public void MissingColumnListsTheRowsColumnsAndTheOption()
    {
        var error = LoadFails("""{"prompt": "p", "completion": "c", "score": 3}""");

        Assert.AreEqual(
            "Row 1: column 'label' is missing; the row has columns 'prompt', 'completion', 'score'. Add the column or map another one with KtoColumnNames.Label.",
            error.Message);
    }

    [TestMethod]
    public void MissingColumnInALaterRowNamesThatRow()
    {
        var error = LoadFails(
            """{"prompt": "p", "completion": "c", "label": true}""",
            """{"prompt": "p", "completion": "c", "label": false}""",
            """{"prompt": "p", "label": false}""");

        StringAssert.StartsWith(error.Message, "Row 3: column 'completion' is missing; the row has columns 'prompt', 'label'.");
        StringAssert.EndsWith(error.Message, "KtoColumnNames.Completion.");
        Assert.AreEqual(3, error.SourceRow);
    }

    [TestMethod]
    public void NoKtoColumnsNamesFoundColumnsAndOptions()
    {
        var error = LoadFails("""{"text": "t", "score": 1}""");

        Assert.AreEqual(
            "Row 1 has columns 'text', 'score', but KTO needs unpaired columns 'prompt', 'completion', 'label' or paired columns " +
            "'chosen', 'rejected' (and optionally 'prompt'). Rename the columns or map them with KtoColumnNames (Prompt, Completion, Label, Chosen, Rejected).",
            error.Message);
    }

    [TestMethod]
    public void PairedWithoutRejectedNamesTheMissingColumn()
    {
        var error = LoadFails("""{"prompt": "p", "chosen": "c"}""");

        StringAssert.StartsWith(error.Message, "Row 1: column 'rejected' is missing; the row has columns 'prompt', 'chosen'.");
    }

    [TestMethod]
    public void PairedAndUnpairedColumnsTogetherAreAmbiguous()
    {
        var error = LoadFails("""{"prompt": "p", "chosen": "a", "rejected": "b", "label": true}""");

        StringAssert.StartsWith(error.Message, "Row 1 has both paired columns ('chosen'/'rejected') and unpaired columns ('completion'/'label').");
    }

    [TestMethod]
    public void CompletionOfWrongTypeShowsTheValue()
    {
        var error = LoadFails(
            """{"prompt": "p", "completion": "c", "label": true}""",
            """{"prompt": "p", "completion": 42, "label": true}""");

        Assert.AreEqual(
            "Row 2: column 'completion' must be a string (standard format) or a list of messages (conversational format); found 42. " +
            "Fix the value or map another column with KtoColumnNames.Completion.",
            error.Message);
    }

    [TestMethod]
    public void NullPromptInUnpairedDataIsAnError()
    {
        var error = LoadFails("""{"prompt": null, "completion": "c", "label": true}""");

        StringAssert.StartsWith(error.Message, "Row 1: column 'prompt' is null.");
    }

    [TestMethod]
    public void PromptAndCompletionOfDifferentKindsInOneRow()
    {
        var error = LoadFails("""{"prompt": "Hi", "completion": [{"role": "assistant", "content": "Hello"}], "label": true}""");

        Assert.AreEqual(
            "Row 1: column 'prompt' is plain text (standard format) but column 'completion' is a list of messages (conversational format). " +
            "'prompt' and 'completion' must both be plain text or both be message lists.",
            error.Message);
    }

    [TestMethod]
    public void ChosenAndRejectedOfDifferentKinds()
    {
        var error = LoadFails("""{"prompt": "Hi", "chosen": " there", "rejected": [{"role": "assistant", "content": "x"}]}""");

        StringAssert.StartsWith(error.Message, "Row 1: column 'rejected' is a list of messages (conversational format) but column 'chosen' is plain text (standard format).");
    }

    [TestMethod]
    public void StandardAndConversationalRowsCannotBeMixed()
    {
        var error = LoadFails(
            """{"prompt": "p", "completion": "c", "label": true}""",
            """{"prompt": [{"role": "user", "content": "p"}], "completion": [{"role": "assistant", "content": "c"}], "label": true}""");

        Assert.AreEqual(
            "Row 2: column 'completion' is a list of messages (conversational format), but in Row 1 it is plain text (standard format). " +
            "Use one format for the whole dataset: all plain text or all message lists.",
            error.Message);
    }

    [TestMethod]
    public void MessageWithoutRoleIsNamed()
    {
        var error = LoadFails("""{"prompt": [{"role": "user", "content": "p"}], "completion": [{"content": "c"}], "label": true}""");

        StringAssert.StartsWith(error.Message, "Row 1: column 'completion' is not a list of chat messages: message 1 has no string 'role' (found {\"content\":\"c\"}).");
    }

    [TestMethod]
    public void EmptyConversationalCompletionIsAnError()
    {
        var error = LoadFails("""{"prompt": [{"role": "user", "content": "p"}], "completion": [], "label": true}""");

        Assert.AreEqual(
            "Row 1: column 'completion' is an empty list of messages. A conversational completion needs at least one message.",
            error.Message);
    }

    [TestMethod]
    public void ImplicitPromptNeedsNonEmptyChosenAndRejected()
    {
        var error = LoadFails("""{"chosen": "", "rejected": "x"}""");

        Assert.AreEqual(
            "Row 1: column 'chosen' is empty, so no prompt can be taken from the shared beginning of chosen and rejected. Fix the value or give the row a 'prompt'.",
            error.Message);
    }

    [TestMethod]
    public void EmptyInputIsAnError()
    {
        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.Load(Array.Empty<JsonObject>()));

        Assert.AreEqual("The input has no rows. KTO needs at least one example (blank JSONL lines are skipped).", error.Message);
    }

    [TestMethod]
    public void NullFieldOfATypedExampleIsAnError()
    {
        var examples = new[] { new KtoExample { Prompt = "p", Completion = null!, Label = true } };

        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.Load(examples));

        StringAssert.StartsWith(error.Message, "Row 1: column 'completion' is null.");
    }
}
