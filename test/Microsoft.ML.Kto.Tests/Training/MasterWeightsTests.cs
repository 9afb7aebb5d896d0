using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Safetensors;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Losses;
using Microsoft.ML.Kto.Training.Reference;
using TorchSharp;
using static TorchSharp.torch;
using AdamW = TorchSharp.Modules.AdamW;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>
/// bfloat16 training with float32 master weights on the tiny model loaded in bfloat16: it follows float32 training where
/// an optimizer working on the bfloat16 weights drifts; masters, their gradients and the moments are float32 and the
/// weights are the masters rounded; only trainable parameters get masters; checkpoints carry the masters and resume
/// bit-exactly; nothing leaks; float16 training is refused.
/// </summary>
[TestClass]
public sealed class MasterWeightsTests
{
    private const int BatchSize = 2;
    private const int Steps = 20;

    // AdamW moves a weight by about the learning rate per step. 1e-4 is below half the bfloat16 spacing of every weight
    // above 2^-5 in magnitude (about 12 % of this model's N(0, 0.02) matrices) and of the norms' 1.0 (half-spacing 2e-3),
    // so written straight into bfloat16 those updates vanish; smaller weights round their updates to whole spacings.
    private const double LearningRate = 1e-4;

    // Measured on this 2-core machine (oneDNN bfloat16 kernels, libtorch 2.10): the masters' loss stays within 6.6e-4
    // of float32's over the 20 steps (the float32 loss itself falls from 0.5 to 0.378), while a pure bfloat16 optimizer
    // ends up 7.3e-2 away. The tolerance leaves room for other CPUs' bfloat16 kernels.
    private const double LossTolerance = 3e-3;

    private static TinyKtoFixtures Fixture = null!;
    private static double[] Float32Losses = [];
    private static Dictionary<string, float[]> Float32Weights = [];
    private string _output = "";

    [ClassInitialize]
    public static void Create(TestContext _)
    {
        Fixture = TinyKtoFixtures.Create();
        using var policy = Fixture.LoadModel();
        using var reference = Fixture.LoadModel();
        Float32Losses = Train(policy, reference, Options(Steps)).LogHistory.Select(l => l[KtoMetrics.Loss]).ToArray();
        Float32Weights = Values(policy);
    }

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    [TestInitialize]
    public void CreateOutput() => _output = Directory.CreateTempSubdirectory("kto-bf16-").FullName;

    [TestCleanup]
    public void DeleteOutput() => Directory.Delete(_output, recursive: true);

    // beta 1 (the demo's) so that 20 small steps move the loss well clear of bfloat16's forward-pass noise.
    private static KtoOptions Options(int maxSteps, string? outputDir = null) => new()
    {
        PerDeviceTrainBatchSize = BatchSize,
        MaxSteps = maxSteps,
        LearningRate = LearningRate,
        Beta = 1.0,
        LoggingSteps = 1,
        SaveSteps = 0,
        MaxLength = 64,
        OutputDir = outputDir,
    };

    // 6 rows, batch 2: 3 micro-batches per epoch, each with one desirable and one undesirable row.
    private static List<PreparedExample> Data() => Fixture.Prepare(TinyKtoFixtures.TextRows(6), BatchSize, maxLength: 64);

    private static CausalLM LoadBfloat16() => CausalLM.FromPretrained(Fixture.Directory, ScalarType.BFloat16);

    private static TrainingState Train(CausalLM policy, CausalLM reference, KtoOptions options)
    {
        using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(reference), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
        return trainer.Train(Data());
    }

    // bfloat16 to float32 is exact, so equal float arrays mean bit-identical bfloat16 tensors.
    private static float[] Values(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().to(ScalarType.Float32).cpu().data<float>().ToArray();
    }

    private static Dictionary<string, float[]> Values(CausalLM model) => model.Parameters.ToDictionary(p => p.Key, p => Values(p.Value));

    private static double MaxDeviationFromFloat32(IReadOnlyList<double> losses)
    {
        Assert.AreEqual(Float32Losses.Length, losses.Count);
        return losses.Select((loss, i) => Math.Abs(loss - Float32Losses[i])).Max();
    }

    [TestMethod]
    public void Bfloat16TrainingWithMasterWeightsTracksTheFloat32LossCurve()
    {
        using var policy = LoadBfloat16();
        using var reference = LoadBfloat16();
        var losses = Train(policy, reference, Options(Steps)).LogHistory.Select(l => l[KtoMetrics.Loss]).ToList();

        Assert.IsTrue(Float32Losses[^1] < 0.45, $"fixture: the float32 loss must move well beyond the tolerance (ends at {Float32Losses[^1]})");
        var deviation = MaxDeviationFromFloat32(losses);
        Assert.IsTrue(deviation <= LossTolerance, $"bfloat16 with masters strays {deviation:E2} from the float32 loss curve (tolerance {LossTolerance:E0})");
        Assert.AreEqual(ScalarType.BFloat16, policy.Parameters["model.embed_tokens.weight"].dtype, "the model stays bfloat16");
    }

    [TestMethod]
    public void APureBfloat16OptimizerDriftsFromFloat32AndRoundsSmallUpdatesAway()
    {
        using var testScope = NewDisposeScope();
        double mastersDeviation;
        using (var policy = LoadBfloat16())
        using (var reference = LoadBfloat16())
        {
            mastersDeviation = MaxDeviationFromFloat32(Train(policy, reference, Options(Steps)).LogHistory.Select(l => l[KtoMetrics.Loss]).ToList());
        }

        // What the trainer did before masters: AdamW (same groups, clipping, batches) straight on the bfloat16 weights.
        using var pure = LoadBfloat16();
        using var pureReference = LoadBfloat16();
        pure.SetRequiresGrad(true);
        var data = Data();
        var step = new KtoStep(pure, new FrozenReferenceModel(pureReference), KtoLoss.Create(KtoLossType.Kto, 1.0, 1, 1));
        var collator = new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, pure.Device);
        using var optimizer = AdamWParameterGroups.Create(pure.Module, p => p, LearningRate, 0.9, 0.999, 1e-8, 0);
        var pureLosses = new List<double>();
        for (var i = 0; i < Steps; i++)
        {
            using var scope = NewDisposeScope();
            var batch = collator.Collate(ExampleBatches.At(data, i % ExampleBatches.Count(data.Count, BatchSize), BatchSize), withKl: true);
            pureLosses.Add(step.Run(batch, train: true, lossScale: 1).Loss);
            nn.utils.clip_grad_norm_(pure.Module.parameters(), 1.0);
            optimizer.step();
            optimizer.zero_grad();
        }

        var pureDeviation = MaxDeviationFromFloat32(pureLosses);
        Assert.IsTrue(pureDeviation > 10 * mastersDeviation && pureDeviation > 5 * LossTolerance,
            $"pure bfloat16 strays {pureDeviation:E2} from float32, masters {mastersDeviation:E2}");
        // The norms start at 1.0: float32 moves them by up to ~1e-4 a step (1.0e-3 in all here), and bfloat16, whose
        // spacing at 1.0 is 2^-8 below and 2^-7 above, rounds every such step away.
        var norms = Float32Weights.Keys.Where(n => n.EndsWith("norm.weight", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(norms.Max(n => Float32Weights[n].Max(w => Math.Abs(w - 1))) > 5e-4, "fixture: float32 must move the norms");
        foreach (var name in norms)
        {
            Assert.IsTrue(Values(pure.Parameters[name]).All(w => w == 1), $"{name}: pure bfloat16 should have rounded every update away");
        }
    }

    [TestMethod]
    public void MastersAndMomentsAreFloat32AndTheWeightsAreTheMastersRounded()
    {
        using var testScope = NewDisposeScope();
        using var policy = LoadBfloat16();
        using var reference = LoadBfloat16();
        policy.SetRequiresGrad(true);
        using var masters = MasterWeights.For(policy);
        var parameters = policy.Parameters;
        foreach (var (name, parameter) in parameters)
        {
            var master = masters.Optimized(parameter);
            Assert.AreNotSame(parameter, master, name);
            Assert.AreEqual(ScalarType.Float32, master.dtype, name);
            CollectionAssert.AreEqual(Values(parameter), Values(master), $"{name}: a master starts as the exact weight");
        }

        using var optimizer = AdamWParameterGroups.Create(policy.Module, masters.Optimized, 1e-3, 0.9, 0.999, 1e-8, 0);
        var step = new KtoStep(policy, new FrozenReferenceModel(reference), KtoLoss.Create(KtoLossType.Kto, 1.0, 1, 1));
        var collator = new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device);
        var data = Data();
        var expectedSums = parameters.ToDictionary(p => p.Key, _ => (Tensor?)null);
        // Two micro-batches (gradient accumulation): the float32 gradient is the float32 sum of the bfloat16 ones.
        for (var micro = 0; micro < 2; micro++)
        {
            step.Run(collator.Collate(ExampleBatches.At(data, micro, BatchSize), withKl: true), train: true, lossScale: 0.5);
            foreach (var (name, parameter) in parameters)
            {
                var grad = parameter.grad!.to(ScalarType.Float32);
                expectedSums[name] = expectedSums[name] is { } sum ? sum + grad : grad;
            }
            masters.AccumulateGradients();
            Assert.IsTrue(parameters.Values.All(p => p.grad is null), "the bfloat16 gradients are freed once added");
        }
        foreach (var (name, parameter) in parameters)
        {
            var sum = masters.Optimized(parameter).grad!;
            Assert.AreEqual(ScalarType.Float32, sum.dtype, name);
            CollectionAssert.AreEqual(Values(expectedSums[name]!), Values(sum), name);
        }

        optimizer.step();
        masters.FinishStep();

        foreach (var state in optimizer.state_dict().State.Cast<AdamW.State>())
        {
            Assert.AreEqual(ScalarType.Float32, state.exp_avg.dtype);
            Assert.AreEqual(ScalarType.Float32, state.exp_avg_sq.dtype);
        }
        var keptBelowBfloat16 = 0;
        foreach (var (name, parameter) in parameters)
        {
            var master = masters.Optimized(parameter);
            Assert.IsNull(master.grad, $"{name}: the float32 gradient is freed after the step");
            Assert.AreEqual(ScalarType.BFloat16, parameter.dtype, name);
            CollectionAssert.AreEqual(Values(master.to(ScalarType.BFloat16)), Values(parameter), $"{name}: the weight is its master rounded");
            keptBelowBfloat16 += Values(master).Zip(Values(parameter)).Count(p => p.First != p.Second);
        }
        Assert.IsTrue(keptBelowBfloat16 > 0, "the masters hold what bfloat16 rounds off");
    }

    [TestMethod]
    public void OnlyParametersThatRequireGradientsGetMasters()
    {
        using var testScope = NewDisposeScope();
        // As with adapters: most of the model frozen, a few tensors trained.
        using var policy = LoadBfloat16();
        using var reference = LoadBfloat16();
        var parameters = policy.Parameters;
        static bool Trained(string name) => name.EndsWith("q_proj.weight", StringComparison.Ordinal) || name == "model.norm.weight";
        foreach (var (name, parameter) in parameters)
        {
            parameter.requires_grad = Trained(name);
        }

        var before = Values(policy);
        using var masters = MasterWeights.For(policy);
        var withMasters = parameters.Where(p => !ReferenceEquals(masters.Optimized(p.Value), p.Value)).Select(p => p.Key).ToList();
        CollectionAssert.AreEquivalent(parameters.Keys.Where(Trained).ToList(), withMasters, "a master for each trained tensor, none for frozen ones");

        using var optimizer = AdamWParameterGroups.Create(policy.Module, masters.Optimized, 1e-3, 0.9, 0.999, 1e-8, 0);
        Assert.AreEqual(withMasters.Count, optimizer.parameters().Count());
        var step = new KtoStep(policy, new FrozenReferenceModel(reference), KtoLoss.Create(KtoLossType.Kto, 1.0, 1, 1));
        step.Run(new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device).Collate(ExampleBatches.At(Data(), 0, BatchSize), withKl: true), train: true, lossScale: 1);
        masters.AccumulateGradients();
        nn.utils.clip_grad_norm_(parameters.Values.Select(masters.Optimized), 1.0);
        optimizer.step();
        masters.FinishStep();

        foreach (var (name, parameter) in parameters)
        {
            if (Trained(name))
            {
                // The master moves; the bfloat16 weight only where the move survives rounding (not the norm's 1.0).
                CollectionAssert.AreNotEqual(before[name], Values(masters.Optimized(parameter)), $"{name} is trained");
                CollectionAssert.AreEqual(Values(masters.Optimized(parameter).to(ScalarType.BFloat16)), Values(parameter), name);
            }
            else
            {
                CollectionAssert.AreEqual(before[name], Values(parameter), $"{name} is frozen");
            }
        }
    }

    [TestMethod]
    public void ResumingABfloat16RunIsBitExactAndTheCheckpointHoldsFloat32MastersAndMoments()
    {
        using var testScope = NewDisposeScope();
        // Accumulation, active clipping and a warm-up/decay schedule, so every piece of state the step uses must come back.
        KtoOptions ResumeOptions(string outputDir)
        {
            var options = Options(4, outputDir);
            options.GradientAccumulationSteps = 2;
            options.MaxGradNorm = 0.1;
            options.WarmupSteps = 1;
            options.LearningRate = 1e-3;
            options.SaveSteps = 1;
            return options;
        }
        var uninterruptedDir = Path.Combine(_output, "uninterrupted");
        TrainingState uninterrupted;
        Dictionary<string, float[]> expected;
        using (var policy = LoadBfloat16())
        using (var reference = LoadBfloat16())
        {
            uninterrupted = Train(policy, reference, ResumeOptions(uninterruptedDir));
            expected = Values(policy);
        }
        Assert.IsTrue(uninterrupted.LogHistory.Any(l => l[KtoMetrics.GradNorm] > 0.1), "fixture: clipping must be active");

        var checkpoint = Path.Combine(uninterruptedDir, "checkpoint-2");
        var weights = SafetensorsIO.ReadAll(Path.Combine(checkpoint, "model.safetensors"));
        var optimizerState = SafetensorsIO.ReadAll(Path.Combine(checkpoint, "optimizer.safetensors"));
        foreach (var (name, weight) in weights)
        {
            Assert.AreEqual(ScalarType.BFloat16, weight.dtype, name);
            foreach (var prefix in new[] { "master.", "exp_avg.", "exp_avg_sq." })
            {
                Assert.AreEqual(ScalarType.Float32, optimizerState[prefix + name].dtype, prefix + name);
            }

            CollectionAssert.AreEqual(Values(optimizerState["master." + name].to(ScalarType.BFloat16)), Values(weight), $"{name}: saved weight = saved master rounded");
        }

        var resumedDir = Path.Combine(_output, "resumed");
        var resumedOptions = ResumeOptions(resumedDir);
        resumedOptions.ResumeFromCheckpoint = checkpoint;
        TrainingState resumed;
        using (var policy = LoadBfloat16())
        using (var reference = LoadBfloat16())
        {
            resumed = Train(policy, reference, resumedOptions);
            foreach (var (name, values) in expected)
            {
                CollectionAssert.AreEqual(values, Values(policy.Parameters[name]), name);
            }
        }

        Assert.AreEqual(uninterrupted.MicroBatchesDone, resumed.MicroBatchesDone);
        for (var i = 0; i < 4; i++)
        {
            foreach (var (name, value) in uninterrupted.LogHistory[i])
            {
                Assert.AreEqual(value, resumed.LogHistory[i][name], 0, $"step {i + 1} {name}");
            }
        }
        // Step 3's checkpoint, written by both runs: the same masters and moments to the bit.
        var expectedState = SafetensorsIO.ReadAll(Path.Combine(uninterruptedDir, "checkpoint-3", "optimizer.safetensors"));
        var resumedState = SafetensorsIO.ReadAll(Path.Combine(resumedDir, "checkpoint-3", "optimizer.safetensors"));
        CollectionAssert.AreEquivalent(expectedState.Keys.ToList(), resumedState.Keys.ToList());
        foreach (var (name, tensor) in expectedState)
        {
            CollectionAssert.AreEqual(Values(tensor), Values(resumedState[name]), name);
        }
    }

    [TestMethod]
    public void AFloat32CheckpointResumesInBfloat16WithMastersFromItsFloat32Weights()
    {
        using var testScope = NewDisposeScope();
        using (var policy = Fixture.LoadModel())
        using (var reference = Fixture.LoadModel())
        {
            var options = Options(2, _output);
            options.SaveSteps = 1;
            options.LearningRate = 1e-3;
            Train(policy, reference, options);
        }
        var checkpoint = Path.Combine(_output, "checkpoint-1");
        var saved = SafetensorsIO.ReadAll(Path.Combine(checkpoint, "model.safetensors"));
        Assert.AreEqual(ScalarType.Float32, saved["model.norm.weight"].dtype);

        using var model = LoadBfloat16();
        model.SetRequiresGrad(true);
        using var masters = MasterWeights.For(model);
        using var optimizer = AdamWParameterGroups.Create(model.Module, masters.Optimized, 1e-3, 0.9, 0.999, 1e-8, 0);
        var state = Checkpoints.Load(checkpoint, model, optimizer);

        Assert.AreEqual(1, state.GlobalStep);
        foreach (var (name, parameter) in model.Parameters)
        {
            CollectionAssert.AreEqual(Values(saved[name]), Values(masters.Optimized(parameter)), $"{name}: the master is the float32 weight, not its rounding");
            CollectionAssert.AreEqual(Values(saved[name].to(ScalarType.BFloat16)), Values(parameter), name);
        }
    }

    [TestMethod]
    public void Bfloat16TrainingLeavesNoLiveTensors()
    {
        var before = TorchRuntime.LiveTensors;
        var options = Options(3, _output);
        options.SaveSteps = 2;
        options.GradientAccumulationSteps = 2;
        using (var policy = LoadBfloat16())
        using (var reference = LoadBfloat16())
        {
            Train(policy, reference, options);
        }
        Assert.AreEqual(before, TorchRuntime.LiveTensors, "training with masters and a checkpoint");

        var resume = Options(3);
        resume.ResumeFromCheckpoint = Path.Combine(_output, "checkpoint-2");
        using (var policy = LoadBfloat16())
        using (var reference = LoadBfloat16())
        {
            using var trainer = new KtoTrainer(policy, new FrozenReferenceModel(reference), resume.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId);
            trainer.Train(Data(), new Dictionary<string, IReadOnlyList<PreparedExample>> { ["eval"] = Data() });
        }
        Assert.AreEqual(before, TorchRuntime.LiveTensors, "resume and evaluation");
    }

    [TestMethod]
    public void Float16TrainingIsRefusedWithTheReason()
    {
        var options = Options(1);
        options.DType = "float16";
        var e = Assert.ThrowsException<ArgumentException>(options.Validate);
        StringAssert.Contains(e.Message, "float16 training is not supported");
        StringAssert.Contains(e.Message, "loss scaling");
        StringAssert.Contains(e.Message, "bfloat16");

        using var policy = CausalLM.FromPretrained(Fixture.Directory, ScalarType.Float16);
        using var reference = CausalLM.FromPretrained(Fixture.Directory, ScalarType.Float16);
        Assert.ThrowsException<ArgumentException>(() => new KtoTrainer(policy, new FrozenReferenceModel(reference), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId));

        options.DType = "bfloat16";
        options.Validate();
    }
}
