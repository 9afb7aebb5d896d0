using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>A model written with TorchSharp's own modules plugs into the trainer through <see cref="ICausalLM"/>.</summary>
[TestClass]
public sealed class CustomCausalLMTests
{
    private static TinyKtoFixtures Fixture = null!;

    [ClassInitialize]
    public static void CreateFixture(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void DeleteFixture() => Fixture.Dispose();

    /// <summary>A bigram model: the next token depends on the current one only (trivially causal, no cache).</summary>
    private sealed class BigramLM : nn.Module, ICausalLM
    {
        private readonly TorchSharp.Modules.Embedding _embedTokens;
        private readonly TorchSharp.Modules.Linear _lmHead;

        public BigramLM(int vocab, int hidden, long seed) : base(nameof(BigramLM))
        {
            torch.manual_seed(seed);
            _embedTokens = nn.Embedding(vocab, hidden);
            _lmHead = nn.Linear(hidden, vocab, hasBias: false);
            // Registered by HF name: RegisterComponents would use the field names.
            register_module("embed_tokens", _embedTokens);
            register_module("lm_head", _lmHead);
            Config = new ModelConfig
            {
                ModelType = "bigram",
                VocabSize = vocab,
                HiddenSize = hidden,
                IntermediateSize = hidden,
                NumHiddenLayers = 1,
                NumAttentionHeads = 1,
                NumKeyValueHeads = 1,
                HeadDim = hidden,
                EosTokenIds = [TinyKtoFixtures.EndOfTextId],
            };
        }

        public ModelConfig Config { get; }
        public ScalarType DType => ScalarType.Float32;
        public Device Device => CPU;
        public nn.Module Module => this;

        public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null) =>
            cache is null ? _embedTokens.forward(inputIds) : throw new NotSupportedException("The bigram model keeps no cache.");

        public Tensor LmHeadWeight => _lmHead.weight!;
    }

    [TestMethod]
    public void TrainerTrainsAForeignTorchSharpModuleAgainstAFrozenCopy()
    {
        var data = Fixture.Prepare(TinyKtoFixtures.TextRows(8), 4);
        using var policy = new BigramLM(TinyKtoFixtures.VocabSize, 16, seed: 3);
        using var reference = new BigramLM(TinyKtoFixtures.VocabSize, 16, seed: 3);
        var before = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        var options = new KtoOptions { MaxSteps = 2, PerDeviceTrainBatchSize = 4, LoggingSteps = 1, LearningRate = 1e-2, MaxLength = 64 };
        using (var trainer = new KtoTrainer(policy, new FrozenReferenceModel(reference), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId))
        {
            var state = trainer.Train(data);
            Assert.AreEqual(2, state.GlobalStep);
            Assert.IsTrue(state.LogHistory.All(line => double.IsFinite(line[KtoMetrics.Loss])));
            // The first step's reference is the policy itself, so the rewards start at exactly 0.
            Assert.AreEqual(0.0, state.LogHistory[0][KtoMetrics.RewardsChosen], 1e-6);
        }
        foreach (var (name, parameter) in policy.named_parameters())
        {
            CollectionAssert.AreNotEqual(before[name], parameter.data<float>().ToArray(), $"{name} was trained");
        }

        foreach (var (name, parameter) in reference.named_parameters())
        {
            CollectionAssert.AreEqual(before[name], parameter.data<float>().ToArray(), $"reference {name} is frozen");
        }
    }

    [TestMethod]
    public void ItsParametersSaveUnderTheirModuleNames()
    {
        using var model = new BigramLM(TinyKtoFixtures.VocabSize, 8, seed: 5);
        var directory = Directory.CreateTempSubdirectory("kto-custom-").FullName;
        try
        {
            model.SaveTo(directory);
            using var file = Microsoft.ML.Kto.Models.Safetensors.SafetensorsFile.Open(Path.Combine(directory, "model.safetensors"));
            CollectionAssert.AreEquivalent(new[] { "embed_tokens.weight", "lm_head.weight" }, file.Entries.Keys.ToArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void AModelWithoutACacheSaysSoWhenAskedToGenerate()
    {
        using var model = new BigramLM(TinyKtoFixtures.VocabSize, 8, seed: 5);
        var e = Assert.ThrowsException<NotSupportedException>(() =>
            TextGenerator.Generate(model, [[1, 2, 3]], new GenerationOptions { MaxNewTokens = 2 }));
        StringAssert.Contains(e.Message, "cache");
    }

    [TestMethod]
    public void GradientCheckpointingOnAModelThatCannotDoItIsRefusedBeforeTraining()
    {
        using var policy = new BigramLM(TinyKtoFixtures.VocabSize, 8, seed: 5);
        using var reference = new BigramLM(TinyKtoFixtures.VocabSize, 8, seed: 5);
        var options = new KtoOptions { MaxSteps = 1, PerDeviceTrainBatchSize = 4, GradientCheckpointing = true };
        var e = Assert.ThrowsException<NotSupportedException>(() =>
            new KtoTrainer(policy, new FrozenReferenceModel(reference), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId));
        StringAssert.Contains(e.Message, "GradientCheckpointing needs a model that implements IGradientCheckpointing; BigramLM does not");
    }
}
