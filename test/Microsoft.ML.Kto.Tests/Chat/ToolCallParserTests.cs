using System.Text.Json;
using Microsoft.ML.Kto.Chat;

namespace Microsoft.ML.Kto.Tests.Chat;

[TestClass]
public sealed class ToolCallParserTests
{
    [TestMethod]
    public void HermesBlocksBecomeCallsAndTheRestStaysText()
    {
        var (text, calls) = ToolCallParser.Parse(
            "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\", \"days\": 2}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}");
        Assert.AreEqual("Let me check.", text);
        Assert.AreEqual(2, calls.Count);
        Assert.AreEqual("get_weather", calls[0].Name);
        Assert.AreEqual("Oslo", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.AreEqual(2, ((JsonElement)calls[0].Arguments!["days"]!).GetInt32());
        Assert.AreEqual("get_time", calls[1].Name, "an unclosed final block still counts: generation stopped at EOS");
        Assert.AreNotEqual(calls[0].CallId, calls[1].CallId);
    }

    [TestMethod]
    public void ABareJsonAnswerIsALlamaStyleCall()
    {
        var (text, calls) = ToolCallParser.Parse(" {\"name\": \"search\", \"parameters\": {\"q\": \"kto\"}} ");
        Assert.AreEqual("", text);
        Assert.AreEqual("search", calls.Single().Name);
        Assert.AreEqual("kto", ((JsonElement)calls[0].Arguments!["q"]!).GetString());
    }

    [TestMethod]
    [DataRow("<tool_call>{not json}</tool_call>")]
    [DataRow("<tool_call>{\"arguments\": {}}</tool_call>")]
    [DataRow("{\"name\": \"x\", \"arguments\": [1]}")]
    [DataRow("just text {\"name\": \"x\"}")]
    public void WhatDoesNotParseAsACallStaysText(string completion)
    {
        var (text, calls) = ToolCallParser.Parse(completion);
        Assert.AreEqual(completion, text);
        Assert.AreEqual(0, calls.Count);
    }
}
