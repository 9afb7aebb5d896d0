using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Tests.Models;

namespace Microsoft.ML.Kto.Tests.Generation;

/// <summary>
/// Cached, batched greedy decoding against the reference's greedy.json, which recomputed the whole unpadded
/// sequence at every step: equality means the KV cache and left padding change nothing.
/// </summary>
[TestClass]
public sealed class CachedGreedyGoldenTests
{
    [TestMethod]
    [DynamicData(nameof(GreedyGoldens.Cases), typeof(GreedyGoldens))]
    public void EachPromptAloneReproducesTheUncachedReference(string name)
    {
        using var model = GoldenModels.Load(name);
        foreach (var golden in GreedyGoldens.Load(name))
        {
            var options = new GenerationOptions { MaxNewTokens = golden.MaxNewTokens, EosTokenIds = golden.EosTokenIds };
            var generated = TextGenerator.Generate(model, [golden.Prompt], options);
            CollectionAssert.AreEqual(golden.Generated, generated.Single(), $"{name}: prompt [{string.Join(", ", golden.Prompt)}]");
        }
    }

    [TestMethod]
    [DynamicData(nameof(GreedyGoldens.Cases), typeof(GreedyGoldens))]
    public void LeftPaddedBatchGivesEveryRowItsTokensAlone(string name)
    {
        using var model = GoldenModels.Load(name);
        var goldens = GreedyGoldens.Load(name);
        // Entries 0 and 1 share the config's eos ids and have prompts of lengths 5 and 3: row 1 is left-padded.
        var options = new GenerationOptions { MaxNewTokens = goldens[0].MaxNewTokens, EosTokenIds = goldens[0].EosTokenIds };
        var generated = TextGenerator.Generate(model, [goldens[0].Prompt, goldens[1].Prompt, goldens[0].Prompt], options);
        CollectionAssert.AreEqual(goldens[0].Generated, generated[0], $"{name} row 0");
        CollectionAssert.AreEqual(goldens[1].Generated, generated[1], $"{name} row 1 (left-padded)");
        CollectionAssert.AreEqual(goldens[0].Generated, generated[2], $"{name} row 2");
    }

    [TestMethod]
    [DynamicData(nameof(GreedyGoldens.Cases), typeof(GreedyGoldens))]
    public void EosStopsOneRowWhileTheOthersGoOn(string name)
    {
        using var model = GoldenModels.Load(name);
        var goldens = GreedyGoldens.Load(name);
        // Entry 2 stops prompt 0 early by naming one of its generated tokens the eos; prompt 1 goes on with the same eos.
        var eos = goldens[2].EosTokenIds;
        var options = new GenerationOptions { MaxNewTokens = goldens[2].MaxNewTokens, EosTokenIds = eos };
        var generated = TextGenerator.Generate(model, [goldens[1].Prompt, goldens[2].Prompt], options);
        CollectionAssert.AreEqual(GreedyGoldens.CutAfterEos(goldens[1].Generated, eos), generated[0], $"{name} row 0");
        CollectionAssert.AreEqual(goldens[2].Generated, generated[1], $"{name} row 1 (stopped at eos)");
        Assert.IsTrue(generated[0].Length > generated[1].Length, $"{name}: the other row should outlive the stopped one");
    }
}
