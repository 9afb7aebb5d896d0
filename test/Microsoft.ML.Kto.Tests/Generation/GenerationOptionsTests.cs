using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models;

namespace Microsoft.ML.Kto.Tests.Generation;

/// <summary>Defaults, validation and generation_config.json reading of <see cref="GenerationOptions"/>.</summary>
[TestClass]
public sealed class GenerationOptionsTests
{
    private static GenerationOptions Read(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kto-generation-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try { return GenerationOptions.FromGenerationConfig(path); }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void DefaultsAreTransformersDefaults()
    {
        var options = new GenerationOptions();
        Assert.AreEqual(256, options.MaxNewTokens);
        Assert.IsFalse(options.DoSample);
        Assert.AreEqual(1.0, options.Temperature);
        Assert.AreEqual(50, options.TopK);
        Assert.AreEqual(1.0, options.TopP);
        Assert.AreEqual(1.0, options.RepetitionPenalty);
        Assert.IsNull(options.EosTokenIds);
        Assert.IsNull(options.PadTokenId);
        Assert.AreEqual(0, options.StopStrings.Count);
        Assert.IsNull(options.Seed);
    }

    [TestMethod]
    public void ReadsASamplingGenerationConfig()
    {
        var options = Read("""
            {
              "bos_token_id": 1,
              "do_sample": true,
              "eos_token_id": [2, 7],
              "max_new_tokens": 64,
              "pad_token_id": 0,
              "repetition_penalty": 1.1,
              "stop_strings": "###",
              "temperature": 0.6,
              "top_k": 20,
              "top_p": 0.95,
              "transformers_version": "4.51.3"
            }
            """);
        Assert.IsTrue(options.DoSample);
        CollectionAssert.AreEqual(new[] { 2, 7 }, options.EosTokenIds!.ToArray());
        Assert.AreEqual(64, options.MaxNewTokens);
        Assert.AreEqual(0, options.PadTokenId);
        Assert.AreEqual(1.1, options.RepetitionPenalty);
        CollectionAssert.AreEqual(new[] { "###" }, options.StopStrings.ToArray());
        Assert.AreEqual(0.6, options.Temperature);
        Assert.AreEqual(20, options.TopK);
        Assert.AreEqual(0.95, options.TopP);
    }

    [TestMethod]
    public void MissingKeysKeepDefaultsAndNullTurnsTopKOff()
    {
        var options = Read("""{ "eos_token_id": 5, "top_k": null, "temperature": null }""");
        CollectionAssert.AreEqual(new[] { 5 }, options.EosTokenIds!.ToArray());
        Assert.AreEqual(0, options.TopK);
        Assert.AreEqual(1.0, options.Temperature);
        Assert.AreEqual(new GenerationOptions().MaxNewTokens, options.MaxNewTokens);
        Assert.AreEqual(50, Read("{}").TopK);
    }

    [TestMethod]
    public void MalformedConfigsNameTheProblem()
    {
        var wrongType = Assert.ThrowsException<ModelFormatException>(() => Read("""{ "top_k": "many" }"""));
        StringAssert.Contains(wrongType.Message, "top_k");
        Assert.ThrowsException<ModelFormatException>(() => Read("""{ "do_sample": 1 }"""));
        Assert.ThrowsException<ModelFormatException>(() => Read("[1]"));
        Assert.ThrowsException<ModelFormatException>(() => Read("{ not json"));
        Assert.ThrowsException<FileNotFoundException>(() => GenerationOptions.FromGenerationConfig("/nonexistent/generation_config.json"));
    }

    [TestMethod]
    public void ValidationRejectsWhatTransformersRejects()
    {
        Assert.ThrowsException<ArgumentException>(() => new GenerationOptions { MaxNewTokens = -1 }.Validate());
        Assert.ThrowsException<ArgumentException>(() => new GenerationOptions { RepetitionPenalty = 0 }.Validate());
        Assert.ThrowsException<ArgumentException>(() => new GenerationOptions { DoSample = true, Temperature = 0 }.Validate());
        Assert.ThrowsException<ArgumentException>(() => new GenerationOptions { DoSample = true, TopP = 1.5 }.Validate());
        Assert.ThrowsException<ArgumentException>(() => new GenerationOptions { DoSample = true, TopK = -1 }.Validate());
        Assert.ThrowsException<ArgumentException>(() => new GenerationOptions { StopStrings = [""] }.Validate());
        new GenerationOptions { Temperature = 0 }.Validate(); // greedy ignores the temperature, as transformers does
    }
}
