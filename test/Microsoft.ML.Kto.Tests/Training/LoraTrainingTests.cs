using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Lora;
using Microsoft.ML.Kto.Tests.Models;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>
/// KTO with LoRA (TRL's KTOTrainer with a peft_config): only the adapter learns, the optimizer holds only it, the
/// reference is the policy with its adapters off (or a reference adapter), precomputed or live, and runs resume exactly.
/// </summary>
[TestClass]
public sealed class LoraTrainingTests
{
    private const int BatchSize = 2;
    private static TinyKtoFixtures Fixture = null!;
    private string _output = "";

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    [TestInitialize]
    public void CreateOutput() => _output = Directory.CreateTempSubdirectory("kto-lora-train-").FullName;

    [TestCleanup]
    public void DeleteOutput() => Directory.Delete(_output, recursive: true);

    private static TrainingSettings Settings(int maxSteps, string? outputDir = null, int saveSteps = 0) => new KtoOptions
    {
        PerDeviceTrainBatchSize = BatchSize,
        MaxSteps = maxSteps,
        LearningRate = 1e-2,
        LoggingSteps = 1,
        SaveSteps = saveSteps,
        MaxLength = 64,
        OutputDir = outputDir,
    }.ToTrainingSettings();

    private static List<PreparedExample> Data() => Fixture.Prepare(TinyKtoFixtures.TextRows(6), BatchSize, maxLength: 64);

    private static CausalLM LoraPolicy(LoraOptions? options = null)
    {
        var model = Fixture.LoadModel();
        LoraModel.Create(model, options ?? new LoraOptions { TargetModules = [LoraOptions.AllLinear] }, Fixture.Directory, seed: 1);
        return model;
    }

    private static Dictionary<string, float[]> Snapshot(CausalLM model) =>
        model.Parameters.ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    [TestMethod]
    public void OnlyTheAdapterChangesAndTheBaseStaysBitIdentical()
    {
        using var policy = LoraPolicy(new LoraOptions { TargetModules = [LoraOptions.AllLinear], ModulesToSave = ["lm_head"] });
        var before = Snapshot(policy);
        using var trainer = new KtoTrainer(policy, new AdapterReference(policy), Settings(2), TinyKtoFixtures.EndOfTextId);

        trainer.Train(Data());

        var after = Snapshot(policy);
        foreach (var (name, values) in before)
        {
            var adapter = name.Contains(".lora_") || name.Contains(".modules_to_save.");
            if (adapter)
            {
                CollectionAssert.AreNotEqual(values, after[name], $"{name} did not train");
            }
            else
            {
                CollectionAssert.AreEqual(values, after[name], $"base weight {name} changed");
            }
        }
        Assert.IsTrue(policy.Parameters.Where(p => !p.Key.Contains(".lora_") && !p.Key.Contains(".modules_to_save.")).All(p => !p.Value.requires_grad && p.Value.grad is null),
            "base weights collect no gradients");
    }

    [TestMethod]
    public void TheOptimizerHoldsOnlyTheAdapterAndItsModulesToSave()
    {
        using var policy = LoraPolicy(new LoraOptions { ModulesToSave = ["embed_tokens"] });
        using var trainer = new KtoTrainer(policy, new AdapterReference(policy), Settings(1), TinyKtoFixtures.EndOfTextId);

        var (decay, noDecay) = AdamWParameterGroups.Split(policy);
        var trained = decay.Concat(noDecay).Select(p => p.Name).ToList();
        Assert.AreEqual(2 * 2 * 2 + 1, trained.Count, string.Join(", ", trained));
        Assert.IsTrue(trained.All(n => n.Contains(".lora_A.default.") || n.Contains(".lora_B.default.") || n == "model.embed_tokens.modules_to_save.default.weight"),
            string.Join(", ", trained));
        // The checkpoint's optimizer state is keyed by these names, so its moments are the adapter's only.
        trainer.Train(Data());
        var options = Settings(1, _output, saveSteps: 1);
        using var saving = new KtoTrainer(policy, new AdapterReference(policy), options with { MaxSteps = 2 }, TinyKtoFixtures.EndOfTextId);
        saving.Train(Data());
        using var moments = Microsoft.ML.Kto.Models.Safetensors.SafetensorsFile.Open(Path.Combine(_output, "checkpoint-1", "optimizer.safetensors"));
        Assert.AreEqual(2 * trained.Count, moments.Entries.Count);
    }

    [TestMethod]
    public void WithAdaptersOffTheReferenceLogProbsAreExactlyTheBaseModels()
    {
        using var policy = LoraPolicy();
        LoraModelTests.Randomize(policy.Lora!);
        using var baseModel = Fixture.LoadModel();
        var collator = new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device);
        using var scope = NewDisposeScope();
        var batch = collator.Collate(Data().Take(BatchSize).ToList(), withKl: true);

        var (logProbs, kl) = new AdapterReference(policy).Compute(batch, withKl: true);
        var (expected, expectedKl) = new FrozenReferenceModel(baseModel).Compute(batch, withKl: true);

        CollectionAssert.AreEqual(expected.data<float>().ToArray(), logProbs.data<float>().ToArray());
        CollectionAssert.AreEqual(expectedKl!.data<float>().ToArray(), kl!.data<float>().ToArray());
        Assert.AreEqual(LoraModel.DefaultAdapter, policy.Lora!.ActiveAdapter, "the adapter is back on after the reference pass");
        var policyLogProbs = CompletionLogProbs.Compute(policy, batch.InputIds, batch.AttentionMask, batch.CompletionMask).LogProbs;
        CollectionAssert.AreNotEqual(expected.data<float>().ToArray(), policyLogProbs.data<float>().ToArray(), "the adapter mattered");
    }

    [TestMethod]
    public void AtInitialisationThePolicyIsItsReferenceSoTheFirstStepIsTrlsHalfLossWithZeroKlAndRewards()
    {
        using var policy = LoraPolicy(new LoraOptions { TargetModules = [LoraOptions.AllLinear], ModulesToSave = ["lm_head"] });
        using var trainer = new KtoTrainer(policy, new AdapterReference(policy), Settings(1), TinyKtoFixtures.EndOfTextId);
        var m = trainer.Train(Data()).LogHistory.Single();
        // B = 0 and copies equal to their originals: every log-ratio is exactly 0.
        Assert.AreEqual(0.5, m[KtoMetrics.Loss], 1e-7);
        Assert.AreEqual(0.0, m[KtoMetrics.Kl], 0);
        Assert.AreEqual(0.0, m[KtoMetrics.KlRaw], 0);
        Assert.AreEqual(0.0, m[KtoMetrics.RewardsChosen], 0);
        Assert.AreEqual(0.0, m[KtoMetrics.RewardsRejected], 0);
    }

    [TestMethod]
    public void PrecomputedAdapterReferenceGivesTheLiveOnesRun()
    {
        var data = Data();
        List<Dictionary<string, double>> live;
        using (var policy = LoraPolicy())
        using (var trainer = new KtoTrainer(policy, new AdapterReference(policy), Settings(3), TinyKtoFixtures.EndOfTextId))
        {
            live = trainer.Train(data).LogHistory.ToList();
        }

        using var precomputedPolicy = LoraPolicy();
        var reference = new PrecomputedReferenceLogProbs();
        reference.Add(data, new AdapterReference(precomputedPolicy), new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, precomputedPolicy.Device), BatchSize, withKl: true);
        using var precomputedTrainer = new KtoTrainer(precomputedPolicy, reference, Settings(3), TinyKtoFixtures.EndOfTextId);
        var precomputed = precomputedTrainer.Train(data).LogHistory;

        // The adapter moves from step 2 on, but the reference is the base either way: the same numbers at every step.
        for (var step = 0; step < 3; step++)
        {
            foreach (var (name, value) in live[step])
            {
                Assert.AreEqual(value, precomputed[step][name], 1e-6, $"step {step + 1} {name}");
            }
        }
        Assert.AreNotEqual(0.0, live[2][KtoMetrics.KlRaw], "the policy moved away from its reference");
    }

    [TestMethod]
    public void AReferenceAdapterIsWhatTheReferencePassScoresWith()
    {
        // A trained adapter saved to disk plays TRL's ref_adapter_name.
        var referenceDirectory = Path.Combine(_output, "reference-adapter");
        using (var donor = LoraPolicy(new LoraOptions { TargetModules = ["o_proj"] }))
        {
            LoraModelTests.Randomize(donor.Lora!, seed: 9);
            donor.Lora!.Save(referenceDirectory);
        }

        using var policy = LoraPolicy();
        policy.Lora!.LoadAdapter("reference", referenceDirectory);
        using var referenceModel = Fixture.LoadModel();
        LoraModel.Load(referenceModel, referenceDirectory);
        using var scope = NewDisposeScope();
        var batch = new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device).Collate(Data().Take(BatchSize).ToList(), withKl: true);

        var (logProbs, _) = new AdapterReference(policy, "reference").Compute(batch, withKl: true);
        var (expected, _) = FrozenReferenceModel.Score(referenceModel, batch, withKl: false);
        CollectionAssert.AreEqual(expected.data<float>().ToArray(), logProbs.data<float>().ToArray());

        using var trainer = new KtoTrainer(policy, new AdapterReference(policy, "reference"), Settings(1), TinyKtoFixtures.EndOfTextId);
        var m = trainer.Train(Data()).LogHistory.Single();
        Assert.AreNotEqual(0.0, m[KtoMetrics.RewardsChosen], "the reference adapter differs from the fresh policy adapter");
        Assert.IsTrue(policy.Lora!.Tensors("reference").All(t => !t.Parameter.requires_grad), "the reference adapter stays frozen");
    }

    [TestMethod]
    public void APolicyCannotBeItsOwnReference()
    {
        using var plain = Fixture.LoadModel();
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => new AdapterReference(plain)).Message, "needs a policy with LoRA adapters");
        using var policy = LoraPolicy();
        var error = Assert.ThrowsException<ArgumentException>(() => new KtoTrainer(policy, new FrozenReferenceModel(policy), Settings(1), TinyKtoFixtures.EndOfTextId));
        StringAssert.Contains(error.Message, "AdapterReference");
        Assert.ThrowsException<ArgumentException>(() => new AdapterReference(policy, LoraModel.DefaultAdapter));
        Assert.ThrowsException<ArgumentException>(() => new AdapterReference(policy, "missing"));
    }

    [TestMethod]
    public void ASeparateReferenceModelStillWorksWithLora()
    {
        using var policy = LoraPolicy();
        using var referenceModel = Fixture.LoadModel();
        using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(referenceModel), Settings(2), TinyKtoFixtures.EndOfTextId);
        var log = trainer.Train(Data()).LogHistory;
        Assert.AreEqual(0.5, log[0][KtoMetrics.Loss], 1e-6, "the reference model is the base, as the adapters-off reference is");
        Assert.IsTrue(double.IsFinite(log[1][KtoMetrics.Loss]));
    }

    [TestMethod]
    public void ResumingALoraRunWithDropoutEndsBitIdenticalToTheUninterruptedRun()
    {
        var options = new LoraOptions { TargetModules = [LoraOptions.AllLinear], Dropout = 0.2, ModulesToSave = ["lm_head"] };
        Dictionary<string, float[]> expected;
        using (var policy = LoraPolicy(options))
        using (var trainer = new KtoTrainer(policy, new AdapterReference(policy), Settings(4, _output, saveSteps: 2), TinyKtoFixtures.EndOfTextId))
        {
            trainer.Train(Data());
            expected = Snapshot(policy);
        }

        var checkpoint = Path.Combine(_output, "checkpoint-2");
        Assert.IsTrue(File.Exists(Path.Combine(checkpoint, "adapter_config.json")) && !File.Exists(Path.Combine(checkpoint, "model.safetensors")),
            "a LoRA checkpoint holds the adapter, not the base model");
        using var resumedPolicy = LoraPolicy(options);
        using var resumed = new KtoTrainer(resumedPolicy, new AdapterReference(resumedPolicy),
            Settings(4) with { ResumeFromCheckpoint = checkpoint }, TinyKtoFixtures.EndOfTextId);
        Assert.AreEqual(4, resumed.Train(Data()).GlobalStep);
        foreach (var (name, values) in expected)
        {
            CollectionAssert.AreEqual(values, resumedPolicy.Parameters[name].data<float>().ToArray(), name);
        }
    }

    [TestMethod]
    public void DropoutDrawsMasksOnlyInTheGradientPass()
    {
        using var policy = LoraPolicy(new LoraOptions { TargetModules = [LoraOptions.AllLinear], Dropout = 0.5 });
        LoraModelTests.Randomize(policy.Lora!);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[,] { { 5, 40, 41, 260, 7, 9 } });
        using (no_grad())
        {
            // Without gradients (KL and reference passes, evaluation, generation) the adapter is deterministic.
            CollectionAssert.AreEqual(policy.Logits(ids).data<float>().ToArray(), policy.Logits(ids).data<float>().ToArray());
        }
        CollectionAssert.AreNotEqual(policy.Logits(ids).data<float>().ToArray(), policy.Logits(ids).data<float>().ToArray(), "training passes drop out");
        policy.eval();
        CollectionAssert.AreEqual(policy.Logits(ids).data<float>().ToArray(), policy.Logits(ids).data<float>().ToArray(), "eval mode does not");
    }

    [TestMethod]
    public void OnABfloat16ModelTheAdaptersAreFloat32AsPeftKeepsThem()
    {
        using var policy = CausalLM.FromPretrained(Fixture.Directory, ScalarType.BFloat16);
        LoraModel.Create(policy, new LoraOptions(), Fixture.Directory);
        float[] QProj()
        {
            using var scope = NewDisposeScope();
            return policy.Parameters["model.layers.0.self_attn.q_proj.weight"].to(ScalarType.Float32).data<float>().ToArray();
        }
        var baseWeight = QProj();
        using var trainer = new KtoTrainer(policy, new AdapterReference(policy), Settings(1), TinyKtoFixtures.EndOfTextId);
        var loss = trainer.Train(Data()).LogHistory.Single()[KtoMetrics.Loss];

        using var scope = NewDisposeScope();
        Assert.AreEqual(0.5, loss, 1e-6, "a fresh adapter is its reference in bfloat16 too");
        var b = policy.Parameters["model.layers.0.self_attn.q_proj.lora_B.default.weight"];
        Assert.AreEqual(ScalarType.Float32, b.dtype);
        Assert.AreNotEqual(0.0, b.abs().max().ToDouble(), "the adapter trained");
        Assert.AreEqual(ScalarType.BFloat16, policy.Parameters["model.layers.0.self_attn.q_proj.weight"].dtype);
        CollectionAssert.AreEqual(baseWeight, QProj());
    }

    [TestMethod]
    public void LoraTrainingLeavesNoLiveTensorsOnceEverythingIsDisposed()
    {
        var before = TorchRuntime.LiveTensors;
        using (var policy = LoraPolicy(new LoraOptions { TargetModules = [LoraOptions.AllLinear], ModulesToSave = ["lm_head"], Dropout = 0.1 }))
        {
            var data = Data();
            var reference = new PrecomputedReferenceLogProbs();
            reference.Add(data, new AdapterReference(policy), new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device), BatchSize, withKl: true);
            using (var trainer = new KtoTrainer(policy, new AdapterReference(policy), Settings(3, _output, saveSteps: 2), TinyKtoFixtures.EndOfTextId))
            {
                trainer.Train(data, new Dictionary<string, IReadOnlyList<PreparedExample>> { ["eval"] = data });
            }
            using var resumed = new KtoTrainer(policy, reference, Settings(3) with { ResumeFromCheckpoint = Path.Combine(_output, "checkpoint-2") }, TinyKtoFixtures.EndOfTextId);
            resumed.Train(data);
            policy.Lora!.MergeAndUnload();
        }
        Assert.AreEqual(before, TorchRuntime.LiveTensors);
    }
}
