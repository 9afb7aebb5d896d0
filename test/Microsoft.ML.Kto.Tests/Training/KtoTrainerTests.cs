using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>
/// The training loop on the tiny model (TRL's trainer tests: parameters change, an explicit reference stays unchanged,
/// precomputed reference log-probs, both losses), plus resume, cancellation, metrics.jsonl and tensor hygiene.
/// </summary>
[TestClass]
public sealed class KtoTrainerTests
{
    private const int BatchSize = 2;
    private static TinyKtoFixtures Fixture = null!;
    private string _output = "";

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    [TestInitialize]
    public void CreateOutput() => _output = Directory.CreateTempSubdirectory("kto-train-").FullName;

    [TestCleanup]
    public void DeleteOutput() => Directory.Delete(_output, recursive: true);

    // A learning rate large enough that one AdamW step visibly moves every parameter (TRL's default 1e-6 would too, but barely).
    private static KtoOptions Options(int maxSteps, KtoLossType loss = KtoLossType.Kto, string? outputDir = null) => new()
    {
        LossType = loss,
        PerDeviceTrainBatchSize = BatchSize,
        MaxSteps = maxSteps,
        LearningRate = 1e-2,
        LoggingSteps = 1,
        SaveSteps = 0,
        MaxLength = 64,
        OutputDir = outputDir,
    };

    // 6 rows, batch 2: 3 micro-batches per epoch, each with one desirable and one undesirable row.
    private static List<PreparedExample> Data() => Fixture.Prepare(TinyKtoFixtures.TextRows(6), BatchSize, maxLength: 64);

    private static Dictionary<string, float[]> Snapshot(CausalLM model) =>
        model.Parameters.ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    private static void AssertSameParameters(Dictionary<string, float[]> expected, CausalLM actual)
    {
        foreach (var (name, values) in expected)
        {
            CollectionAssert.AreEqual(values, actual.Parameters[name].data<float>().ToArray(), name);
        }
    }

    private static TrainingState Train(KtoOptions options, List<PreparedExample> data, out Dictionary<string, float[]> finalParameters,
        IProgress<KtoProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var policy = Fixture.LoadModel();
        using var referenceModel = Fixture.LoadModel();
        using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(referenceModel), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
        var state = trainer.Train(data, progress: progress, cancellation: cancellation);
        finalParameters = Snapshot(policy);
        return state;
    }

    [TestMethod]
    [DataRow(KtoLossType.Kto)]
    [DataRow(KtoLossType.ApoZeroUnpaired)]
    public void OneStepChangesEveryPolicyParameterAndLeavesTheReferenceUnchanged(KtoLossType loss)
    {
        using var policy = Fixture.LoadModel();
        using var referenceModel = Fixture.LoadModel();
        var initial = Snapshot(policy);
        using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(referenceModel), Options(1, loss).ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
        var state = trainer.Train(Data());

        Assert.AreEqual(1, state.GlobalStep);
        Assert.AreEqual(1, state.MicroBatchesDone);
        foreach (var (name, before) in initial)
        {
            // The k_proj bias only shifts every attention score of a query by the same amount, so softmax cancels it:
            // its gradient is zero up to rounding and AdamW barely moves it. Every other tensor must move.
            if (name.EndsWith("k_proj.bias", StringComparison.Ordinal))
            {
                continue;
            }

            CollectionAssert.AreNotEqual(before, policy.Parameters[name].data<float>().ToArray(), $"{name} did not change");
        }
        // The explicit reference (TRL's ref_model) is frozen: bit-identical to the checkpoint, and collects no gradients.
        AssertSameParameters(initial, referenceModel);
        Assert.IsTrue(referenceModel.Parameters.Values.All(p => !p.requires_grad && p.grad is null));
        var logged = state.LogHistory.Single();
        Assert.IsTrue(double.IsFinite(logged[KtoMetrics.Loss]));
        if (loss == KtoLossType.ApoZeroUnpaired)
        {
            // No KL term: TRL logs kl = 0 for apo_zero_unpaired.
            Assert.AreEqual(0.0, logged[KtoMetrics.Kl]);
            Assert.AreEqual(0.0, logged[KtoMetrics.KlRaw]);
        }
    }

    [TestMethod]
    public void FirstStepLossMatchesTheHandComputedKtoLoss()
    {
        // At step 1 policy == reference, so every log-ratio is 0 and the KL estimate of two identical models is 0:
        // each row's loss is 1 - σ(0) = 0.5 and every reward is 0. This fails if the reference is mixed up with the
        // policy's KL pass or the loss ignores the labels' weights.
        var state = Train(Options(1), Data(), out _);
        var m = state.LogHistory.Single();
        Assert.AreEqual(0.5, m[KtoMetrics.Loss], 1e-6);
        Assert.AreEqual(0.0, m[KtoMetrics.Kl], 0);
        Assert.AreEqual(0.0, m[KtoMetrics.KlRaw], 1e-5);
        Assert.AreEqual(0.0, m[KtoMetrics.RewardsChosen], 1e-6);
        Assert.AreEqual(0.0, m[KtoMetrics.RewardsMargins], 1e-6);
        Assert.AreEqual(1e-2, m[KtoMetrics.LearningRate], 0);
        Assert.AreEqual(1, m["step"]);
        var data = Data();
        Assert.AreEqual(data.Take(2).Sum(e => e.PromptIds.Length + e.CompletionIds.Length), m[KtoMetrics.NumTokens]);
        Assert.AreEqual(1.0 / 3, m[KtoMetrics.Epoch], 1e-12);
    }

    [TestMethod]
    [DataRow(BatchSize)]
    [DataRow(3)] // precompute_ref_batch_size may differ: KL pairs are fixed per train batch, not per precompute chunk
    public void PrecomputedReferenceLogProbsGiveTheSameFirstStepAsTheLiveReference(int precomputeBatchSize)
    {
        var live = Train(Options(1), Data(), out var liveParameters).LogHistory.Single();

        var data = Data();
        using var policy = Fixture.LoadModel();
        var reference = new PrecomputedReferenceLogProbs();
        using (var referenceModel = Fixture.LoadModel())
        {
            var collator = new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device);
            reference.Add(data, new FrozenReferenceModel(referenceModel), collator, precomputeBatchSize, withKl: true);
        } // the reference model is released before training, which is the point of precomputing
        Assert.AreEqual(data.Count, reference.Count);
        using var trainer = new KtoTrainer(policy, reference, Options(1).ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
        var precomputed = trainer.Train(data).LogHistory.Single();

        CollectionAssert.AreEquivalent(live.Keys.ToArray(), precomputed.Keys.ToArray());
        // Same batch size: the same reference forward passes, so the same numbers. Another size pads differently,
        // which changes only float rounding; a wrong KL pairing would change kl by far more.
        var tolerance = precomputeBatchSize == BatchSize ? 1e-6 : 1e-4;
        foreach (var (name, value) in live)
        {
            Assert.AreEqual(value, precomputed[name], tolerance, name);
        }

        if (precomputeBatchSize == BatchSize)
        {
            AssertSameParameters(liveParameters, policy);
        }
    }

    [TestMethod]
    public void ResumingFromACheckpointEndsBitIdenticalToTheUninterruptedRun()
    {
        // 4 steps over 3 micro-batches per epoch, so the resumed half crosses an epoch boundary; warm-up and decay
        // make every step's learning rate different, so a wrong resumed step count would show.
        var options = Options(4, outputDir: _output);
        options.SaveSteps = 2;
        options.WarmupSteps = 1;
        var uninterrupted = Train(options, Data(), out var expected);
        var checkpoint = Path.Combine(_output, "checkpoint-2");
        Assert.IsTrue(Directory.Exists(checkpoint));
        // The reference never changes without SyncRefModel, so checkpoints do not store it.
        Assert.IsFalse(Directory.Exists(Path.Combine(checkpoint, "ref_model")));
        // The last step writes no checkpoint (the final model is the caller's to save).
        CollectionAssert.AreEqual(new[] { checkpoint }, Checkpoints.List(_output).ToArray());

        var resumedOptions = Options(4, outputDir: Path.Combine(_output, "resumed"));
        resumedOptions.WarmupSteps = 1;
        resumedOptions.ResumeFromCheckpoint = checkpoint;
        var resumed = Train(resumedOptions, Data(), out var actual);

        Assert.AreEqual(4, resumed.GlobalStep);
        Assert.AreEqual(uninterrupted.MicroBatchesDone, resumed.MicroBatchesDone);
        Assert.AreEqual(uninterrupted.TotalTokens, resumed.TotalTokens);
        foreach (var (name, values) in expected)
        {
            CollectionAssert.AreEqual(values, actual[name], name);
        }
        // The log history carries over: steps 1-2 from the checkpoint, 3-4 from the resumed run, all as uninterrupted.
        Assert.AreEqual(4, resumed.LogHistory.Count);
        for (var i = 0; i < 4; i++)
        {
            foreach (var (name, value) in uninterrupted.LogHistory[i])
            {
                Assert.AreEqual(value, resumed.LogHistory[i][name], 0, $"step {i + 1} {name}");
            }
        }
    }

    [TestMethod]
    public void CancellationStopsAtAStepBoundaryAndLeavesAValidCheckpoint()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Phase == "train" && p.Metrics is null && p.Step == 2)
            {
                cancellation.Cancel();
            }
        });
        var state = Train(Options(5, outputDir: _output), Data(), out var atCancel, progress, cancellation.Token);

        Assert.AreEqual(2, state.GlobalStep);
        Assert.AreEqual(2, state.MicroBatchesDone);
        var checkpoint = Path.Combine(_output, "checkpoint-2");
        CollectionAssert.AreEqual(new[] { checkpoint }, Checkpoints.List(_output).ToArray());
        Assert.AreEqual(0, Directory.GetDirectories(_output, "*.partial").Length);
        var trainerState = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoint, "trainer_state.json")))!;
        Assert.AreEqual(2, trainerState["global_step"]!.GetValue<long>());
        // The checkpoint holds the model as it was when training stopped, loadable as a Hugging Face directory.
        using var saved = CausalLM.FromPretrained(checkpoint);
        AssertSameParameters(atCancel, saved);
    }

    [TestMethod]
    public void MetricsJsonlHasOneLinePerLoggedStep()
    {
        var options = Options(5, outputDir: _output);
        options.LoggingSteps = 2;
        var state = Train(options, Data(), out _);

        var lines = File.ReadAllLines(Path.Combine(_output, "metrics.jsonl"));
        // Logged every 2 steps and at the last step.
        Assert.AreEqual(3, lines.Length);
        var records = lines.Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
        CollectionAssert.AreEqual(new[] { 2.0, 4.0, 5.0 }, records.Select(r => r["step"]!.GetValue<double>()).ToArray());
        foreach (var record in records)
        {
            foreach (var name in KtoMetrics.All)
            {
                Assert.IsNotNull(record[name], $"{name} missing");
            }
        }

        Assert.AreEqual(state.LogHistory.Count, records.Count);
        Assert.AreEqual(state.LogHistory[^1][KtoMetrics.Loss], records[^1][KtoMetrics.Loss]!.GetValue<double>(), 0);
        // num_tokens is cumulative: it grows from one line to the next.
        var tokens = records.Select(r => r[KtoMetrics.NumTokens]!.GetValue<double>()).ToArray();
        Assert.IsTrue(tokens[0] < tokens[1] && tokens[1] < tokens[2]);
    }

    [TestMethod]
    public void ADivergingRunLogsNonFiniteMetricsInsteadOfCrashing()
    {
        // An absurd learning rate overflows the weights after one step, so step 2's loss and gradient norm are NaN
        // (what an fp16 overflow or a bad learning rate does to a real run). Like transformers, the trainer must log
        // the NaN so the user can see the divergence; it must not crash while writing metrics.jsonl or a checkpoint.
        var options = Options(3, outputDir: _output);
        options.LearningRate = 1e20;
        options.SaveSteps = 2;
        var state = Train(options, Data(), out _);

        Assert.AreEqual(3, state.GlobalStep);
        Assert.IsTrue(double.IsNaN(state.LogHistory[1][KtoMetrics.Loss]), "fixture: step 2 must diverge");
        var lines = File.ReadAllLines(Path.Combine(_output, "metrics.jsonl"));
        Assert.AreEqual(3, lines.Length);
        // The checkpoint's log history (with its NaN) must read back too, or the run could not be resumed.
        var resume = Options(3);
        resume.LearningRate = 1e20;
        resume.ResumeFromCheckpoint = Path.Combine(_output, "checkpoint-2");
        var resumed = Train(resume, Data(), out _);
        Assert.AreEqual(3, resumed.LogHistory.Count);
        Assert.IsTrue(double.IsNaN(resumed.LogHistory[1][KtoMetrics.Loss]));
    }

    [TestMethod]
    public void TrainingLeavesNoLiveTensorsOnceEverythingIsDisposed()
    {
        var before = Microsoft.ML.Kto.Models.TorchRuntime.LiveTensors;
        var options = Options(3, outputDir: _output);
        options.SaveSteps = 2; // include checkpoint writing
        Train(options, Data(), out _);
        Assert.AreEqual(before, Microsoft.ML.Kto.Models.TorchRuntime.LiveTensors, "live reference, checkpoints");

        // Precomputed reference, evaluation and resume allocate through other paths.
        var data = Data();
        using (var policy = Fixture.LoadModel())
        {
            var reference = new PrecomputedReferenceLogProbs();
            using (var referenceModel = Fixture.LoadModel())
            {
                reference.Add(data, new FrozenReferenceModel(referenceModel),
                    new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device), BatchSize, withKl: true);
            }

            var resume = Options(3);
            resume.ResumeFromCheckpoint = Path.Combine(_output, "checkpoint-2");
            using var trainer = new KtoTrainer(policy, reference, resume.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
            trainer.Train(data, new Dictionary<string, IReadOnlyList<PreparedExample>> { ["eval"] = data });
        }
        Assert.AreEqual(before, Microsoft.ML.Kto.Models.TorchRuntime.LiveTensors, "precomputed reference, evaluation, resume");
    }

    [TestMethod]
    public void GradientAccumulationConsumesSeveralMicroBatchesPerStep()
    {
        var options = Options(1);
        options.GradientAccumulationSteps = 2;
        var data = Data();
        var state = Train(options, data, out _);
        Assert.AreEqual(1, state.GlobalStep);
        Assert.AreEqual(2, state.MicroBatchesDone);
        var m = state.LogHistory.Single();
        Assert.AreEqual(data.Take(4).Sum(e => e.PromptIds.Length + e.CompletionIds.Length), m[KtoMetrics.NumTokens]);
        Assert.AreEqual(2.0 / 3, m[KtoMetrics.Epoch], 1e-12);
        // The logged loss is the mean of the micro-batch losses before the 1/accumulation scaling (0.5 each at step 1).
        Assert.AreEqual(0.5, m[KtoMetrics.Loss], 1e-6);
    }

    [TestMethod]
    public void EvaluationIsPrefixedAndChangesNothing()
    {
        using var policy = Fixture.LoadModel();
        using var referenceModel = Fixture.LoadModel();
        var initial = Snapshot(policy);
        var data = Data();
        using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(referenceModel), Options(2).ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);

        var eval = trainer.Evaluate(data);
        // Policy == reference before training: every row's KTO loss is 1 - σ(0) = 0.5 and the KL estimate is 0.
        Assert.AreEqual(0.5, eval["eval_loss"], 1e-6);
        Assert.AreEqual(0.0, eval["eval_kl"], 0);
        Assert.IsTrue(eval.ContainsKey("eval_rewards/chosen") && eval.ContainsKey("eval_entropy"));
        foreach (var name in new[] { "eval_learning_rate", "eval_grad_norm", "eval_num_tokens", KtoMetrics.Loss })
        {
            Assert.IsFalse(eval.ContainsKey(name), name);
        }

        AssertSameParameters(initial, policy);
        Assert.IsTrue(policy.Parameters.Values.All(p => p.grad is null), "evaluation must not leave gradients behind");
        Assert.IsTrue(trainer.Evaluate(data, "other").ContainsKey("eval_other_loss"));

        // During training each eval set is logged at every EvalSteps, as its own line.
        var state = trainer.Train(data, new Dictionary<string, IReadOnlyList<PreparedExample>> { ["eval"] = data, ["other"] = data });
        Assert.AreEqual(2, state.LogHistory.Count(l => l.ContainsKey("eval_loss")));
        Assert.AreEqual(2, state.LogHistory.Count(l => l.ContainsKey("eval_other_loss")));
        Assert.AreEqual(2, state.LogHistory.Count(l => l.ContainsKey(KtoMetrics.Loss)));
    }

    [TestMethod]
    public void AFailedCheckpointWriteIsOneClearErrorAndKeepsThePreviousCheckpoint()
    {
        // A file where checkpoint-2's temporary directory goes makes its write fail the way a full disk does.
        var options = Options(4, outputDir: _output);
        options.SaveSteps = 1;
        Directory.CreateDirectory(_output);
        File.WriteAllText(Path.Combine(_output, "checkpoint-2.partial"), "");

        var error = Assert.ThrowsException<IOException>(() => Train(options, Data(), out _));

        StringAssert.Contains(error.Message, "Could not write checkpoint checkpoint-2");
        StringAssert.Contains(error.Message, $"the previous checkpoint '{Path.Combine(_output, "checkpoint-1")}' is intact");
        StringAssert.Contains(error.Message, "ResumeFromCheckpoint");
        CollectionAssert.AreEqual(new[] { Path.Combine(_output, "checkpoint-1") }, Checkpoints.List(_output).ToArray());
        using var previous = CausalLM.FromPretrained(Path.Combine(_output, "checkpoint-1"));
    }

    [TestMethod]
    public void SaveTotalLimitKeepsTheNewestCheckpoints()
    {
        var options = Options(4, outputDir: _output);
        options.SaveSteps = 1;
        options.SaveTotalLimit = 2;
        Train(options, Data(), out _);
        CollectionAssert.AreEqual(new[] { Path.Combine(_output, "checkpoint-2"), Path.Combine(_output, "checkpoint-3") }, Checkpoints.List(_output).ToArray());
    }

    [TestMethod]
    public void BatchSizeOneIsRejectedForTheKtoLoss()
    {
        using var policy = Fixture.LoadModel();
        using var referenceModel = Fixture.LoadModel();
        var options = Options(1);
        options.PerDeviceTrainBatchSize = 1;
        var e = Assert.ThrowsException<ArgumentOutOfRangeException>(options.Validate);
        StringAssert.Contains(e.Message, "KL estimate");
        // apo_zero_unpaired has no KL term, so batch size 1 is fine there.
        options.LossType = KtoLossType.ApoZeroUnpaired;
        options.Validate();
        using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(referenceModel), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
    }

    [TestMethod]
    public void AReferenceThatIsThePolicyItselfIsRejected()
    {
        using var policy = Fixture.LoadModel();
        var e = Assert.ThrowsException<ArgumentException>(() => new KtoTrainer(policy, new FrozenReferenceModel(policy), Options(1).ToTrainingSettings(), TinyKtoFixtures.EndOfTextId));
        StringAssert.Contains(e.Message, "must not be the policy");
    }
}
