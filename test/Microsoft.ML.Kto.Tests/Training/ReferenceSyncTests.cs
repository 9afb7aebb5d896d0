using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>
/// TR-DPO reference syncing (<see cref="KtoOptions.SyncRefModel"/>, TRL's <c>sync_ref_model</c>): the update and its
/// timing computed by hand on the tiny model, the options that refuse it, and bit-exact resume of a synced run.
/// </summary>
[TestClass]
public sealed class ReferenceSyncTests
{
    private const int BatchSize = 2;
    private const double Alpha = 0.25;
    private static TinyKtoFixtures Fixture = null!;
    private string _output = "";

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    [TestInitialize]
    public void CreateOutput() => _output = Directory.CreateTempSubdirectory("kto-sync-").FullName;

    [TestCleanup]
    public void DeleteOutput() => Directory.Delete(_output, recursive: true);

    // τ = 2 and a non-default α, so a sync at the wrong step or with TRL's default α shows.
    private static KtoOptions Options(int maxSteps, string? outputDir = null) => new()
    {
        PerDeviceTrainBatchSize = BatchSize,
        MaxSteps = maxSteps,
        LearningRate = 1e-2,
        LoggingSteps = 1,
        SaveSteps = 0,
        MaxLength = 64,
        OutputDir = outputDir,
        SyncRefModel = true,
        RefModelSyncSteps = 2,
        RefModelMixupAlpha = Alpha,
    };

    private static List<PreparedExample> Data() => Fixture.Prepare(TinyKtoFixtures.TextRows(6), BatchSize, maxLength: 64);

    private static Dictionary<string, float[]> Snapshot(CausalLM model) =>
        model.Parameters.ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    private static void AssertSame(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual, string what)
    {
        foreach (var (name, values) in expected)
        {
            CollectionAssert.AreEqual(values, actual[name], $"{what}: {name}");
        }
    }

    // reference = α·policy + (1 − α)·previous, parameter by parameter (computed in double; the update runs in float32).
    private static void AssertMix(Dictionary<string, float[]> reference, Dictionary<string, float[]> policy, Dictionary<string, float[]> previous, string what)
    {
        foreach (var (name, values) in reference)
        {
            for (var i = 0; i < values.Length; i++)
            {
                Assert.AreEqual(Alpha * policy[name][i] + (1 - Alpha) * previous[name][i], values[i], 1e-6, $"{what}: {name}[{i}]");
            }
        }
    }

    private static TrainingState Train(KtoOptions options, out Dictionary<string, float[]> policyAtEnd, out Dictionary<string, float[]> referenceAtEnd,
        Action<long, CausalLM, CausalLM>? afterStep = null)
    {
        using var policy = Fixture.LoadModel();
        using var referenceModel = Fixture.LoadModel();
        var progress = new SyncProgress(p =>
        {
            if (p.Phase == "train" && p.Metrics is null)
            {
                afterStep?.Invoke(p.Step, policy, referenceModel);
            }
        });
        using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(referenceModel), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
        var state = trainer.Train(Data(), progress: progress);
        policyAtEnd = Snapshot(policy);
        referenceAtEnd = Snapshot(referenceModel);
        return state;
    }

    [TestMethod]
    public void EveryTauStepsTheReferenceBecomesTheMixOfPolicyAndItself()
    {
        var policyAt = new Dictionary<long, Dictionary<string, float[]>>();
        var referenceAt = new Dictionary<long, Dictionary<string, float[]>>();
        Dictionary<string, float[]> initial;
        using (var model = Fixture.LoadModel())
        {
            initial = Snapshot(model);
        }

        Train(Options(5), out _, out _, (step, policy, reference) =>
        {
            policyAt[step] = Snapshot(policy);
            referenceAt[step] = Snapshot(reference);
        });

        // TRL's on_step_end: global_step % ref_model_sync_steps == 0, after the optimizer step, so syncs follow steps 2 and 4.
        AssertSame(initial, referenceAt[1], "step 1");
        AssertMix(referenceAt[2], policyAt[2], initial, "step 2");
        AssertSame(referenceAt[2], referenceAt[3], "step 3");
        AssertMix(referenceAt[4], policyAt[4], referenceAt[2], "step 4");
        AssertSame(referenceAt[4], referenceAt[5], "step 5");
        CollectionAssert.AreNotEqual(initial["lm_head.weight"], referenceAt[2]["lm_head.weight"], "fixture: the sync must move the reference");
    }

    [TestMethod]
    public void SyncingIsRefusedWhereItCannotWorkAndOtherwiseDefaultsToTrl()
    {
        var defaults = new KtoOptions();
        Assert.IsFalse(defaults.SyncRefModel);
        Assert.AreEqual(0.6, defaults.RefModelMixupAlpha);
        Assert.AreEqual(512, defaults.RefModelSyncSteps);
        defaults.Validate();

        var precomputed = Options(1);
        precomputed.PrecomputeRefLogProbs = true;
        var e = Assert.ThrowsException<ArgumentException>(precomputed.Validate);
        StringAssert.Contains(e.Message, "SyncRefModel and PrecomputeRefLogProbs cannot be combined");
        // Off, precomputing is fine whatever the sync settings say.
        precomputed.SyncRefModel = false;
        precomputed.Validate();

        var lora = Options(1);
        lora.Lora = new LoraOptions();
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(lora.Validate).Message, "SyncRefModel and Lora cannot be combined");

        var steps = Options(1);
        steps.RefModelSyncSteps = 0;
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(steps.Validate).Message, "RefModelSyncSteps must be >= 1");
        var alpha = Options(1);
        alpha.RefModelMixupAlpha = 1.5;
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(alpha.Validate).Message, "RefModelMixupAlpha must lie in [0, 1]");

        // The trainer, which may be built without Validate, refuses a reference it cannot update, and a reference of
        // another architecture, before the first step rather than at step τ.
        using var policy = Fixture.LoadModel();
        e = Assert.ThrowsException<ArgumentException>(() => new KtoTrainer(policy, new PrecomputedReferenceLogProbs(), Options(1).ToTrainingSettings(), TinyKtoFixtures.EndOfTextId));
        StringAssert.Contains(e.Message, "PrecomputeRefLogProbs");
        var tied = TinyKtoFixtures.ModelConfigJson();
        tied["tie_word_embeddings"] = true;
        using var other = CausalLM.FromConfig(ModelConfig.Parse(tied, "tied"), seed: 1);
        e = Assert.ThrowsException<ArgumentException>(() => new KtoTrainer(policy, new FrozenReferenceModel(other), Options(1).ToTrainingSettings(), TinyKtoFixtures.EndOfTextId));
        StringAssert.Contains(e.Message, "the reference has no parameter 'lm_head.weight'");
    }

    [TestMethod]
    public void ResumingASyncedRunRestoresItsReferenceAndEndsBitIdentical()
    {
        // A checkpoint at step 3 holds the reference synced at step 2; the resumed run syncs again at step 4.
        var liveTensors = TorchRuntime.LiveTensors;
        var options = Options(5, _output);
        options.SaveSteps = 3;
        var uninterrupted = Train(options, out var expectedPolicy, out var expectedReference);
        var checkpoint = Path.Combine(_output, "checkpoint-3");
        using (var saved = CausalLM.FromPretrained(Path.Combine(checkpoint, "ref_model")))
        using (var initial = Fixture.LoadModel())
        {
            // A Hugging Face model directory holding the synced weights, not the initial ones.
            CollectionAssert.AreNotEqual(Snapshot(initial)["lm_head.weight"], Snapshot(saved)["lm_head.weight"]);
        }

        var resumedOptions = Options(5, Path.Combine(_output, "resumed"));
        resumedOptions.ResumeFromCheckpoint = checkpoint;
        var resumed = Train(resumedOptions, out var actualPolicy, out var actualReference);

        AssertSame(expectedPolicy, actualPolicy, "policy");
        AssertSame(expectedReference, actualReference, "reference");
        Assert.AreEqual(uninterrupted.LogHistory.Count, resumed.LogHistory.Count);
        for (var i = 0; i < uninterrupted.LogHistory.Count; i++)
        {
            foreach (var (name, value) in uninterrupted.LogHistory[i])
            {
                Assert.AreEqual(value, resumed.LogHistory[i][name], 0, $"step {i + 1} {name}");
            }
        }
        // Syncing, saving and restoring the reference leave no tensors behind.
        Assert.AreEqual(liveTensors, TorchRuntime.LiveTensors);
    }
}
