using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Kto.Tests.Data.DataTestHelpers;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class ToolsAndMessagesTests
{
    private const string Tools = """[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]""";

    private const string ToolCallCompletion = """
        [{"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
         {"role": "tool", "name": "get_weather", "content": "22"},
         {"role": "assistant", "content": "It is 22 degrees."}]
        """;

    [TestMethod]
    public void ToolsAsArray()
    {
        var row = LoadRows($$"""{"prompt": "p", "completion": "c", "label": true, "tools": {{Tools}}}""").Rows.Single();

        AssertJsonEqual(Tools, row.Tools);
    }

    [TestMethod]
    public void ToolsAsStringHoldingAnArrayAreParsed()
    {
        var input = new JsonObject
        {
            ["prompt"] = "p",
            ["completion"] = "c",
            ["label"] = true,
            ["tools"] = Tools,
        };

        var row = KtoDatasetLoader.Load([input]).Rows.Single();

        AssertJsonEqual(Tools, row.Tools);
    }

    [TestMethod]
    public void NullOrMissingToolsAreNone()
    {
        var dataset = LoadRows(
            """{"prompt": "p", "completion": "c", "label": true, "tools": null}""",
            """{"prompt": "p", "completion": "c", "label": true}""");

        Assert.IsTrue(dataset.Rows.All(row => row.Tools is null && row.ChatTemplateKwargs is null));
    }

    [TestMethod]
    public void ToolsStringThatIsNotJsonIsAnError()
    {
        var error = LoadFails("""{"prompt": "p", "completion": "c", "label": true, "tools": "[{\"type\": "}""");

        StringAssert.StartsWith(error.Message, "Row 1: column 'tools' is a string but not a JSON array of tool schemas in JSON (");
        StringAssert.EndsWith(error.Message, "found \"[{\\\"type\\\": \". Fix the value or map another column with KtoColumnNames.Tools.");
        Assert.AreEqual("tools", error.Column);
    }

    [TestMethod]
    [DataRow("""{"name": "f"}""", "must be a JSON array of tool schemas (or a string holding one); found {\"name\":\"f\"}")]
    [DataRow("3", "must be a JSON array of tool schemas (or a string holding one); found 3")]
    [DataRow("""[{"name": "f"}, "g"]""", "item 2 must be a JSON object (a tool schema); found \"g\"")]
    public void ToolsOfTheWrongShapeAreErrors(string toolsJson, string problem)
    {
        var error = LoadFails(
            """{"prompt": "p", "completion": "c", "label": true}""",
            $$"""{"prompt": "p", "completion": "c", "label": true, "tools": {{toolsJson}}}""");

        Assert.AreEqual($"Row 2: column 'tools' {problem}. Fix the value or map another column with KtoColumnNames.Tools.", error.Message);
    }

    [TestMethod]
    public void ConversationalRowsKeepToolCallsAndEveryOtherField()
    {
        var dataset = LoadRows($$"""
            {"prompt": [{"role": "user", "content": "Weather in Paris?"}],
             "completion": {{ToolCallCompletion}}, "label": true, "tools": {{Tools}}}
            """);
        var row = dataset.Rows.Single();

        Assert.AreEqual(new KtoDataFormat(KtoDataLayout.Unpaired, KtoContentKind.Conversation, 1, 0), dataset.Format);
        Assert.IsTrue(row.IsConversational);
        AssertJsonEqual(ToolCallCompletion, row.Completion.Messages);
        AssertJsonEqual(Tools, row.Tools);
    }

    [TestMethod]
    public void ChatTemplateKwargsAsObjectOrString()
    {
        var input = Row("""{"prompt": "p", "completion": "c", "label": true}""");
        input["chat_template_kwargs"] = """{"enable_thinking": false}""";

        var fromString = KtoDatasetLoader.Load([input]).Rows.Single();
        var fromObject = LoadRows("""{"prompt": "p", "completion": "c", "label": true, "chat_template_kwargs": {"enable_thinking": false}}""").Rows.Single();

        AssertJsonEqual("""{"enable_thinking": false}""", fromString.ChatTemplateKwargs);
        AssertJsonEqual("""{"enable_thinking": false}""", fromObject.ChatTemplateKwargs);
    }

    [TestMethod]
    public void ChatTemplateKwargsOfTheWrongShapeAreErrors()
    {
        var error = LoadFails("""{"prompt": "p", "completion": "c", "label": true, "chat_template_kwargs": [1]}""");

        Assert.AreEqual(
            "Row 1: column 'chat_template_kwargs' must be a JSON object of chat template arguments (or a string holding one); found [1]. " +
            "Fix the value or map another column with KtoColumnNames.ChatTemplateKwargs.",
            error.Message);
    }

    [TestMethod]
    public void RowsDoNotShareNodesWithTheInput()
    {
        var input = Row($$"""{"prompt": [{"role": "user", "content": "Q"}], "completion": {{ToolCallCompletion}}, "label": true, "tools": {{Tools}}, "id": [1]}""");

        var row = KtoDatasetLoader.Load([input]).Rows.Single();
        input["prompt"]![0]!["content"] = "changed";
        input["tools"]!.AsArray().Clear();
        input["id"]!.AsArray().Add(2);

        AssertJsonEqual("""[{"role": "user", "content": "Q"}]""", row.Prompt.Messages);
        AssertJsonEqual(Tools, row.Tools);
        AssertJsonEqual("[1]", row.ExtraColumns["id"]);
    }

    [TestMethod]
    public void RowRejectsPromptAndCompletionOfDifferentKinds() =>
        Assert.ThrowsExactly<ArgumentException>(() => new KtoRow(
            KtoContent.FromText("p"),
            KtoContent.FromMessages(JsonNode.Parse("""[{"role": "assistant", "content": "c"}]""")!.AsArray()),
            label: true,
            sourceRow: 1));

    [TestMethod]
    public void FromMessagesRejectsNonMessages()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => KtoContent.FromMessages(JsonNode.Parse("""[{"role": "user"}, "hi"]""")!.AsArray()));

        StringAssert.StartsWith(error.Message, "Not a list of chat messages: item 2 is not a message object (found \"hi\").");
    }
}
