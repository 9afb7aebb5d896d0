using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Losses;
using Microsoft.ML.Kto.Training.Reference;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>
/// Gradient checkpointing (<see cref="ActivationCheckpoint"/> on every decoder layer) changes memory, not results:
/// the same loss and gradients through a full KTO step, the same trained weights, untouched no-grad passes and
/// generation, and no leaked tensors.
/// </summary>
[TestClass]
public sealed class GradientCheckpointingTests
{
    private const int BatchSize = 4;
    private static TinyKtoFixtures Fixture = null!;

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create();

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    // Rows of different lengths in one batch, so padding, the attention mask and the KL pairs are all exercised.
    private static List<PreparedExample> Data() => Fixture.Prepare(TinyKtoFixtures.TextRows(8), BatchSize, maxLength: 64);

    /// <summary>
    /// One KTO micro-batch (policy forward with gradients, KL pass, reference passes, loss, backward) on fresh copies of
    /// the tiny model; the reference is shrunk so that the log-ratios, and with them the loss, are not trivially zero.
    /// Returns the loss and the gradient of every parameter that received one.
    /// </summary>
    private static (double Loss, Dictionary<string, float[]> Gradients) Step(bool checkpointing, Func<string, bool>? trainable = null)
    {
        using var policy = Fixture.LoadModel();
        using var referenceModel = Fixture.LoadModel();
        using (no_grad())
        {
            foreach (var parameter in referenceModel.Parameters.Values)
            {
                parameter.mul_(0.9);
            }
        }
        foreach (var (name, parameter) in policy.Parameters)
        {
            parameter.requires_grad = trainable?.Invoke(name) ?? true;
        }

        policy.GradientCheckpointing = checkpointing;
        using var scope = NewDisposeScope();
        var batch = new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, policy.Device).Collate(Data().Take(BatchSize).ToList(), withKl: true);
        var step = new KtoStep(policy, new FrozenReferenceModel(referenceModel), KtoLoss.Create(KtoLossType.Kto, 0.1, 1.0, 1.0));
        var statistics = step.Run(batch, train: true, lossScale: 1);
        var gradients = policy.Parameters.Where(p => p.Value.grad is not null).ToDictionary(p => p.Key, p => p.Value.grad!.data<float>().ToArray());
        return (statistics.Loss, gradients);
    }

    private static void AssertSameGradients(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray(), "parameters with gradients");
        foreach (var (name, values) in expected)
        {
            Assert.IsTrue(values.Any(v => v != 0), $"fixture: {name} has a zero gradient");
            for (var i = 0; i < values.Length; i++)
            {
                Assert.AreEqual(values[i], actual[name][i], 1e-6, $"{name}[{i}]");
            }
        }
    }

    [TestMethod]
    public void ACheckpointedStepHasTheLossAndGradientsOfThePlainStep()
    {
        var plain = Step(checkpointing: false);
        var checkpointed = Step(checkpointing: true);

        Assert.AreNotEqual(0.5, plain.Loss, 1e-5, "fixture: the loss must depend on the models");
        Assert.AreEqual(plain.Loss, checkpointed.Loss, 0);
        using (var model = Fixture.LoadModel())
        {
            Assert.AreEqual(model.Parameters.Count, plain.Gradients.Count, "every parameter has a gradient");
        }
        AssertSameGradients(plain.Gradients, checkpointed.Gradients);
    }

    [TestMethod]
    public void TrainableParametersInsideFrozenLayersGetTheirGradients()
    {
        // The adapter case (LoRA): everything outside the layers is frozen, so the hidden state entering each layer
        // needs no gradient, yet parameters inside the layers do. A checkpoint that only differentiated its inputs
        // would give them none.
        static bool InsideLayers(string name) => name is "model.layers.0.self_attn.q_proj.weight" or "model.layers.1.mlp.down_proj.weight";
        var plain = Step(checkpointing: false, InsideLayers);
        var checkpointed = Step(checkpointing: true, InsideLayers);

        Assert.AreEqual(2, plain.Gradients.Count);
        Assert.AreEqual(plain.Loss, checkpointed.Loss, 0);
        AssertSameGradients(plain.Gradients, checkpointed.Gradients);
    }

    [TestMethod]
    public void PassesWithoutGradientsAndCachedGenerationAreUnchanged()
    {
        using var model = Fixture.LoadModel();
        model.SetRequiresGrad(true);
        using var scope = NewDisposeScope();
        var batch = new KtoCollator(TinyKtoFixtures.EndOfTextId, 64, model.Device).Collate(Data().Take(BatchSize).ToList(), withKl: false);
        var greedy = new GenerationOptions { MaxNewTokens = 8 };
        int[][] prompts = [[72, 101, 108], [84, 104, 101, 32, 115]];
        float[] Hidden(bool gradients)
        {
            using var forwardScope = NewDisposeScope();
            using var mode = enable_grad(gradients);
            return model.Forward(batch.InputIds, batch.AttentionMask).data<float>().ToArray();
        }

        var plain = (Hidden(true), Hidden(false), TextGenerator.Generate(model, prompts, greedy));
        model.GradientCheckpointing = true;
        var checkpointed = (Hidden(true), Hidden(false), TextGenerator.Generate(model, prompts, greedy));

        CollectionAssert.AreEqual(plain.Item1, checkpointed.Item1, "forward with gradients");
        CollectionAssert.AreEqual(plain.Item2, checkpointed.Item2, "forward without gradients");
        for (var row = 0; row < prompts.Length; row++)
        {
            CollectionAssert.AreEqual(plain.Item3[row], checkpointed.Item3[row], $"generated row {row}");
        }
    }

    private static TrainingState Train(bool checkpointing, out Dictionary<string, float[]> parameters)
    {
        var options = new KtoOptions
        {
            PerDeviceTrainBatchSize = BatchSize,
            MaxSteps = 2,
            LearningRate = 1e-2,
            LoggingSteps = 1,
            SaveSteps = 0,
            MaxLength = 64,
            GradientCheckpointing = checkpointing,
        };
        using var policy = Fixture.LoadModel();
        using var referenceModel = Fixture.LoadModel();
        TrainingState state;
        using (var trainer = new KtoTrainer(policy, new FrozenReferenceModel(referenceModel), options.ToTrainingSettings(), TinyKtoFixtures.EndOfTextId))
        {
            Assert.AreEqual(checkpointing, policy.GradientCheckpointing);
            state = trainer.Train(Data());
        }
        // The trainer hands the model back as it got it.
        Assert.IsFalse(policy.GradientCheckpointing);
        parameters = policy.Parameters.ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
        return state;
    }

    [TestMethod]
    public void TwoTrainingStepsWithCheckpointingEndWhereTheyEndWithout()
    {
        var plain = Train(checkpointing: false, out var expected);
        var checkpointed = Train(checkpointing: true, out var actual);

        foreach (var (name, values) in expected)
        {
            for (var i = 0; i < values.Length; i++)
            {
                Assert.AreEqual(values[i], actual[name][i], 1e-6, $"{name}[{i}]");
            }
        }
        for (var step = 0; step < 2; step++)
        {
            foreach (var (metric, value) in plain.LogHistory[step])
            {
                Assert.AreEqual(value, checkpointed.LogHistory[step][metric], 1e-6, $"step {step + 1} {metric}");
            }
        }
    }

    [TestMethod]
    public void CheckpointedStepsLeaveNoLiveTensors()
    {
        var before = TorchRuntime.LiveTensors;
        Step(checkpointing: true);
        Step(checkpointing: true, name => name.Contains(".mlp.", StringComparison.Ordinal));
        Train(checkpointing: true, out _);
        Assert.AreEqual(before, TorchRuntime.LiveTensors);
    }
}
