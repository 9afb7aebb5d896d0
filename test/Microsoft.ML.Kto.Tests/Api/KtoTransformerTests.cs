using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Api;

[TestClass]
public sealed class KtoTransformerTests
{
    [TestMethod]
    public void SavedThenLoadedGeneratesIdentically()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 11);
        var saved = Directory.CreateTempSubdirectory("kto-saved-").FullName;
        try
        {
            var start = Microsoft.ML.Kto.Models.TorchRuntime.LiveTensors;
            var sampling = new GenerationOptions { MaxNewTokens = 12, DoSample = true, Temperature = 0.9, TopP = 0.95, Seed = 5 };
            var greedy = new GenerationOptions { MaxNewTokens = 12 };
            string[] before;
            using (var original = KtoTransformer.Load(fixtures.Directory))
            {
                before = [original.Generate("the sky", greedy, applyChatTemplate: false), original.Generate("the sky", sampling), original.Generate("on a hill", sampling)];
                original.Save(saved);
            }
            using (var reloaded = KtoTransformer.Load(saved))
            {
                string[] after = [reloaded.Generate("the sky", greedy, applyChatTemplate: false), reloaded.Generate("the sky", sampling), reloaded.Generate("on a hill", sampling)];
                CollectionAssert.AreEqual(before, after);
            }
            Assert.AreNotEqual(before[1], before[2], "different prompts give different samples (the test can tell outputs apart)");
            Assert.AreEqual(start, Microsoft.ML.Kto.Models.TorchRuntime.LiveTensors, "generation leaves no tensors behind");
        }
        finally
        {
            Directory.Delete(saved, true);
        }
    }

    [TestMethod]
    public void BatchedPromptsGiveTheSameTextAsSinglePrompts()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 12);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var options = new GenerationOptions { MaxNewTokens = 8 };
        KtoContent[] prompts = [KtoContent.FromText("the"), KtoContent.FromText("a much longer prompt here")];
        var batched = model.Generate(prompts, options);
        var single = prompts.Select(p => model.Generate(new[] { p }, options)[0]).ToArray();
        CollectionAssert.AreEqual(single, batched.ToArray());
    }
}
