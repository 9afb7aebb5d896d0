using System.Text.Json.Nodes;
using Microsoft.ML.Jinja.Tests;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>Real Qwen3 and Llama-3 chat templates must render every golden conversation exactly as transformers does.</summary>
[TestClass]
public sealed class ChatTemplateGoldenTests
{
    public static IEnumerable<object[]> Qwen3Cases => GoldenFile.Cases("qwen3.golden.json");

    public static IEnumerable<object[]> Llama3Cases => GoldenFile.Cases("llama3.golden.json");

    [TestMethod]
    [DynamicData(nameof(Qwen3Cases))]
    public void Qwen3RendersLikeTransformers(string caseName) => AssertCase("qwen3.golden.json", caseName);

    [TestMethod]
    [DynamicData(nameof(Llama3Cases))]
    public void Llama3RendersLikeTransformers(string caseName) => AssertCase("llama3.golden.json", caseName);

    private static void AssertCase(string fileName, string caseName)
    {
        var golden = GoldenFile.Load(fileName);
        var template = new ChatTemplate(golden["template"]!.GetValue<string>());
        var testCase = GoldenFile.Case(fileName, caseName);
        var kwargs = testCase["kwargs"]!.AsObject().ToDictionary(p => p.Key, p => p.Value?.DeepClone());
        GoldenFile.AssertOutcome(testCase, () => template.Render(
            testCase["messages"]!.AsArray(),
            testCase["tools"] as JsonArray,
            testCase["add_generation_prompt"]!.GetValue<bool>(),
            golden["bos_token"]?.GetValue<string>(),
            golden["eos_token"]?.GetValue<string>(),
            kwargs));
    }
}
