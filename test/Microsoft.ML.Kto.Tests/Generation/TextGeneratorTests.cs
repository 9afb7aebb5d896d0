using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Tests.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Generation;

/// <summary>Stopping, streaming, sampling, repetition penalty and resource use of <see cref="TextGenerator"/>.</summary>
[TestClass]
public sealed class TextGeneratorTests
{
    private const string ModelCase = "llama3_rope";

    // Tokens rendered as "<id>", so a stop string can span token boundaries.
    private static string Decode(int[] ids) => string.Concat(ids.Select(id => $"<{id}>"));

    private CausalLM _model = null!;
    private GreedyGolden[] _goldens = null!;
    private GenerationOptions _greedy = null!;

    [TestInitialize]
    public void LoadModel()
    {
        _model = GoldenModels.Load(ModelCase);
        _goldens = GreedyGoldens.Load(ModelCase);
        _greedy = new GenerationOptions { MaxNewTokens = _goldens[0].MaxNewTokens, EosTokenIds = _goldens[0].EosTokenIds };
    }

    [TestCleanup]
    public void DisposeModel() => _model.Dispose();

    [TestMethod]
    public void StopStringCutsGenerationAfterTheTokenThatCompletesIt()
    {
        var expected = _goldens[0].Generated; // 86, 145, 26, 158, ...
        var stop = $"{expected[1]}><{expected[2]}"; // spans tokens 1 and 2
        var generated = TextGenerator.Generate(_model, [_goldens[0].Prompt, _goldens[1].Prompt], _greedy with { StopStrings = [stop] }, Decode);
        CollectionAssert.AreEqual(expected[..3], generated[0]);
        CollectionAssert.AreEqual(_goldens[1].Generated, generated[1], "the row without the stop string runs on");
    }

    [TestMethod]
    public void StopStringsNeedADecoder()
    {
        Assert.ThrowsException<ArgumentException>(() => TextGenerator.Generate(_model, [_goldens[0].Prompt], _greedy with { StopStrings = ["x"] }));
    }

    [TestMethod]
    public void InvalidPromptsAreRejected()
    {
        Assert.ThrowsException<ArgumentException>(() => TextGenerator.Generate(_model, [], _greedy));
        Assert.ThrowsException<ArgumentException>(() => TextGenerator.Generate(_model, [[1, 2], []], _greedy));
        Assert.ThrowsException<ArgumentException>(() => TextGenerator.Generate(_model, [[1, _model.Config.VocabSize]], _greedy));
    }

    [TestMethod]
    public void OnTokenStreamsEveryGeneratedTokenOfEveryRow()
    {
        var streamed = new[] { new List<int>(), new List<int>() };
        var generated = TextGenerator.Generate(_model, [_goldens[2].Prompt, _goldens[1].Prompt], _greedy with { EosTokenIds = _goldens[2].EosTokenIds },
            onToken: (row, token) => streamed[row].Add(token));
        CollectionAssert.AreEqual(generated[0], streamed[0]);
        CollectionAssert.AreEqual(generated[1], streamed[1]);
        CollectionAssert.AreEqual(_goldens[2].Generated, generated[0]);
    }

    [TestMethod]
    public void ZeroNewTokensGeneratesNothing()
    {
        var generated = TextGenerator.Generate(_model, [_goldens[0].Prompt], _greedy with { MaxNewTokens = 0 });
        Assert.AreEqual(0, generated.Single().Length);
    }

    [TestMethod]
    public void SamplingWithTheSameSeedIsReproducible()
    {
        var sampling = _greedy with { DoSample = true, TopK = 0, Seed = 1234 };
        int[][] Sample(GenerationOptions options) => TextGenerator.Generate(_model, [_goldens[0].Prompt, _goldens[1].Prompt], options);
        var first = Sample(sampling);
        var second = Sample(sampling);
        var otherSeed = Sample(sampling with { Seed = 4321 });
        for (var row = 0; row < 2; row++)
        {
            CollectionAssert.AreEqual(first[row], second[row], $"row {row}");
        }

        Assert.IsFalse(first.Zip(otherSeed).All(p => p.First.SequenceEqual(p.Second)), "another seed should draw other tokens");
    }

    [TestMethod]
    public void SamplingAtANearZeroTemperatureIsGreedy()
    {
        var generated = TextGenerator.Generate(_model, [_goldens[0].Prompt, _goldens[1].Prompt],
            _greedy with { DoSample = true, Temperature = 1e-5, TopP = 0.9, Seed = 5 });
        CollectionAssert.AreEqual(_goldens[0].Generated, generated[0]);
        CollectionAssert.AreEqual(_goldens[1].Generated, generated[1]);
    }

    [TestMethod]
    public void GreedyWithRepetitionPenaltyMatchesAnUncachedRecomputation()
    {
        const double penalty = 1.5;
        var prompts = new[] { _goldens[0].Prompt, _goldens[1].Prompt };
        var generated = TextGenerator.Generate(_model, prompts, _greedy with { RepetitionPenalty = penalty });
        for (var row = 0; row < prompts.Length; row++)
        {
            CollectionAssert.AreEqual(PenalizedGreedyWithoutCache(_model, prompts[row], _greedy.MaxNewTokens, penalty), generated[row], $"row {row}");
        }

        Assert.IsFalse(generated[1].SequenceEqual(_goldens[1].Generated), "the penalty should change the repetitive greedy output");
    }

    // Full forward pass over the whole sequence each step, the penalty applied on the host.
    private static int[] PenalizedGreedyWithoutCache(CausalLM model, int[] prompt, int steps, double penalty)
    {
        var sequence = prompt.ToList();
        using var noGrad = no_grad();
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var ids = tensor(sequence.Select(i => (long)i).ToArray(), [1, sequence.Count]);
            var scores = model.Logits(ids).select(1, sequence.Count - 1).data<float>().ToArray();
            foreach (var seen in sequence.Distinct())
            {
                scores[seen] = scores[seen] < 0 ? (float)(scores[seen] * penalty) : (float)(scores[seen] / penalty);
            }

            sequence.Add(Array.IndexOf(scores, scores.Max()));
        }
        return sequence.Skip(prompt.Length).ToArray();
    }

    [TestMethod]
    public void GeneratesWithABFloat16ModelAndCache()
    {
        const string name = "qwen2_bf16";
        using var bf16 = CausalLM.FromPretrained(GoldenModels.Directory(name), ScalarType.BFloat16);
        var prompts = GreedyGoldens.Load(name).Select(g => g.Prompt).ToArray();
        var generated = TextGenerator.Generate(bf16, prompts, _greedy with { EosTokenIds = [] });
        Assert.IsTrue(generated.All(row => row.Length == _greedy.MaxNewTokens && row.All(id => id >= 0 && id < bf16.Config.VocabSize)));
    }

    [TestMethod]
    public void GeneratingLeavesNoTensorAlive()
    {
        var before = Microsoft.ML.Kto.Models.TorchRuntime.LiveTensors;
        var prompts = new[] { _goldens[0].Prompt, _goldens[1].Prompt };
        TextGenerator.Generate(_model, prompts, _greedy);
        TextGenerator.Generate(_model, prompts, _greedy with { DoSample = true, Temperature = 0.7, TopP = 0.9, RepetitionPenalty = 1.2 });
        TextGenerator.Generate(_model, prompts, _greedy with { StopStrings = ["<"] }, Decode);
        Assert.AreEqual(before, Microsoft.ML.Kto.Models.TorchRuntime.LiveTensors);
    }
}
