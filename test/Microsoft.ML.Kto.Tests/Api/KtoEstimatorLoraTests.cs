using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models.Lora;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Tests.Api;

/// <summary>KtoOptions.Lora through Fit: PEFT adapters out and in, the reference choices TRL offers, options in the report.</summary>
[TestClass]
public sealed class KtoEstimatorLoraTests
{
    private static TinyKtoFixtures Fixture = null!;
    private string _work = "";

    [ClassInitialize]
    public static void Create(TestContext _) => Fixture = TinyKtoFixtures.Create(seed: 31);

    [ClassCleanup]
    public static void Delete() => Fixture.Dispose();

    [TestInitialize]
    public void CreateWork() => _work = Directory.CreateTempSubdirectory("kto-fit-lora-").FullName;

    [TestCleanup]
    public void DeleteWork() => Directory.Delete(_work, true);

    private static KtoDataset Data(int rows) => KtoDatasetLoader.Load(TinyKtoFixtures.TextRows(rows).Select(r =>
        new KtoExample { Prompt = r.Prompt.Text!, Completion = r.Completion.Text!, Label = r.Label }));

    private KtoOptions Options(string? output, LoraOptions lora, int steps = 3) => new()
    {
        OutputDir = output is null ? null : Path.Combine(_work, output),
        MaxSteps = steps,
        LoggingSteps = 1,
        PerDeviceTrainBatchSize = 4,
        LearningRate = 1e-2,
        SaveSteps = 0,
        ReportSampleCount = 1,
        Lora = lora,
    };

    [TestMethod]
    public void FitWritesAPeftAdapterThatLoadsBackAndGeneratesTheSame()
    {
        var options = Options("out", new LoraOptions { R = 4, Alpha = 8, TargetModules = [LoraOptions.AllLinear] });
        using var fitted = new KtoEstimator(Fixture.Directory, options).Fit(Data(8));
        var output = options.OutputDir!;

        foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "kto_options.json", "report.html", "README.md" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, file)), $"the output lacks {file}");
        }

        Assert.IsFalse(File.Exists(Path.Combine(output, "model.safetensors")) || File.Exists(Path.Combine(output, "config.json")), "no copy of the base model");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "adapter_config.json")))!;
        Assert.AreEqual(Path.GetFullPath(Fixture.Directory), config["base_model_name_or_path"]!.GetValue<string>());
        CollectionAssert.AreEqual(new[] { "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj" },
            config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray(), "all-linear is saved resolved, as PEFT does");
        CollectionAssert.AreEqual(new[] { LoraModel.DefaultAdapter }, fitted.Model.Lora!.Adapters.Keys.ToArray());

        var card = File.ReadAllText(Path.Combine(output, "README.md"));
        StringAssert.Contains(card, "| lora.r | 4 |");
        StringAssert.Contains(card, "| lora.target_modules | [\"all-linear\"] |");
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.html")), "lora.use_rslora");

        var greedy = new GenerationOptions { MaxNewTokens = 6 };
        using var loaded = KtoTransformer.Load(output);
        Assert.IsNotNull(loaded.Model.Lora);
        Assert.AreEqual(4, loaded.TrainingOptions!.Lora!.R);
        Assert.AreEqual(fitted.Generate("the sky", greedy), loaded.Generate("the sky", greedy), "the saved adapter is the fitted one");
        using var baseModel = KtoTransformer.Load(Fixture.Directory);
        Assert.AreNotEqual(baseModel.Generate("the sky", greedy), fitted.Generate("the sky", greedy), "training moved the adapter");
    }

    [TestMethod]
    public void PrecomputedReferenceGivesTheLiveAdaptersOffRun()
    {
        var lora = new LoraOptions { TargetModules = [LoraOptions.AllLinear] };
        using var live = new KtoEstimator(Fixture.Directory, Options(null, lora)).Fit(Data(8));
        var precomputedOptions = Options(null, lora);
        precomputedOptions.PrecomputeRefLogProbs = true;
        using var precomputed = new KtoEstimator(Fixture.Directory, precomputedOptions).Fit(Data(8));

        Assert.AreEqual(live.TrainingLog.Count, precomputed.TrainingLog.Count);
        for (var i = 0; i < live.TrainingLog.Count; i++)
        {
            foreach (var (name, value) in live.TrainingLog[i])
            {
                Assert.AreEqual(value, precomputed.TrainingLog[i][name], 1e-6, $"line {i} {name}");
            }
        }
    }

    [TestMethod]
    public void AnAdapterDirectoryContinuesTrainingAgainstTheBaseModel()
    {
        var first = Options("first", new LoraOptions { TargetModules = ["q_proj", "o_proj"], R = 4 });
        using (new KtoEstimator(Fixture.Directory, first).Fit(Data(8)))
        {
        }

        var messages = new List<string>();
        var second = Options("second", new LoraOptions { AdapterDirectory = first.OutputDir }, steps: 1);
        var estimator = new KtoEstimator(Fixture.Directory, second) { Progress = new SyncProgress(p => messages.Add(p.Message ?? "")) };
        using var continued = estimator.Fit(Data(8));

        // The policy starts from the adapter, the reference is the base model without it: the first step is not TRL's
        // all-zero step of a fresh adapter.
        Assert.AreNotEqual(0.0, continued.TrainingLog[0][KtoMetrics.KlRaw]);
        Assert.IsTrue(messages.Any(m => m.Contains("as its adapter_config.json describes it (r 4")), string.Join("\n", messages));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(second.OutputDir!, "adapter_config.json")))!;
        CollectionAssert.AreEqual(new[] { "q_proj", "o_proj" }, config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
    }

    [TestMethod]
    public void AReferenceAdapterDirectoryIsTheReferenceAndIsDroppedAfterTraining()
    {
        var donor = Options("donor", new LoraOptions { TargetModules = ["v_proj"] });
        using (new KtoEstimator(Fixture.Directory, donor).Fit(Data(8)))
        {
        }

        var options = Options(null, new LoraOptions { ReferenceAdapterDirectory = donor.OutputDir }, steps: 1);
        using var fitted = new KtoEstimator(Fixture.Directory, options).Fit(Data(8));
        Assert.AreNotEqual(0.0, fitted.TrainingLog[0][KtoMetrics.KlRaw], "a fresh policy adapter against a trained reference adapter");
        CollectionAssert.AreEqual(new[] { LoraModel.DefaultAdapter }, fitted.Model.Lora!.Adapters.Keys.ToArray());

        var both = new KtoEstimator(Fixture.Directory, Options(null, new LoraOptions { ReferenceAdapterDirectory = donor.OutputDir }), Fixture.Directory);
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => both.Fit(Data(8))).Message, "give one of them");
    }

    [TestMethod]
    public void LoraWithASeparateReferenceModelDirectoryTrains()
    {
        using var fitted = new KtoEstimator(Fixture.Directory, Options(null, new LoraOptions()), referenceModelDirectory: Fixture.Directory).Fit(Data(8));
        Assert.AreEqual(0.5, fitted.TrainingLog[0][KtoMetrics.Loss], 1e-6);
        Assert.IsTrue(fitted.TrainingLog.All(l => double.IsFinite(l[KtoMetrics.Loss])));
    }

    [TestMethod]
    public void AnUnknownTargetModuleFailsTheFitNamingTheValidOnes()
    {
        var estimator = new KtoEstimator(Fixture.Directory, Options(null, new LoraOptions { TargetModules = ["query"] }));
        var error = Assert.ThrowsException<ArgumentException>(() => estimator.Fit(Data(8)));
        StringAssert.Contains(error.Message, "'query' matches no linear layer of this qwen2 model. Valid names: q_proj, k_proj");
    }
}
