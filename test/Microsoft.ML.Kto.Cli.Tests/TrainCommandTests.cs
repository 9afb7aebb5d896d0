using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Kto.Tests;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Cli.Tests;

[TestClass]
public sealed class TrainCommandTests
{
    private TinyKtoFixtures _fixtures = null!;
    private string _work = "";

    [TestInitialize]
    public void Create()
    {
        _fixtures = TinyKtoFixtures.Create();
        _work = Directory.CreateTempSubdirectory("kto-train-cli-").FullName;
    }

    [TestCleanup]
    public void Delete()
    {
        _fixtures.Dispose();
        Directory.Delete(_work, true);
    }

    private string Dataset(params string[] lines)
    {
        var path = Path.Combine(_work, "data.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [TestMethod]
    public void TrainsAndWritesMetricsCheckpointsAndTheFinalModel()
    {
        var data = Dataset(
            """{"prompt": "the sky is", "chosen": " blue", "rejected": " green"}""",
            """{"prompt": "on the hill", "chosen": " a tree", "rejected": " a sea"}""");
        var output = Path.Combine(_work, "out");
        var result = KtoProcess.Run("", "train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", output,
            "--per-device-train-batch-size", "2", "--max-steps", "3", "--logging-steps", "1", "--save-steps", "2",
            "--learning-rate", "1e-3", "--eval-dataset", data);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);

        var lines = File.ReadAllLines(Path.Combine(output, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var trainLines = lines.Where(l => l.ContainsKey(KtoMetrics.Loss)).ToList();
        CollectionAssert.AreEqual(new[] { 1.0, 2.0, 3.0 }, trainLines.Select(l => l["step"]!.GetValue<double>()).ToArray());
        foreach (var name in new[] { KtoMetrics.Kl, KtoMetrics.KlRaw, KtoMetrics.Entropy, KtoMetrics.NumTokens, KtoMetrics.RewardsChosen,
                     KtoMetrics.RewardsRejected, KtoMetrics.RewardsMargins, KtoMetrics.LogpsChosen, KtoMetrics.LogitsRejected,
                     KtoMetrics.LearningRate, KtoMetrics.GradNorm, KtoMetrics.Epoch })
        {
            Assert.IsTrue(trainLines[0].ContainsKey(name), $"metrics.jsonl lacks '{name}'");
        }

        Assert.IsTrue(lines.Any(l => l.ContainsKey("eval_loss")), "evaluation metrics are logged");
        Assert.IsTrue(Directory.Exists(Path.Combine(output, "checkpoint-2")));
        foreach (var file in new[] { "config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "kto_options.json", "report.html", "README.md" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, file)), $"final model lacks {file}");
        }

        using var reloaded = KtoTransformer.Load(output);
        Assert.AreEqual(1e-3, reloaded.TrainingOptions!.LearningRate);
    }

    [TestMethod]
    public void CheckpointingAndReferenceSyncFlagsReachTrainingAndTheModelCard()
    {
        var data = Dataset(
            """{"prompt": "the sky is", "chosen": " blue", "rejected": " green"}""",
            """{"prompt": "on the hill", "chosen": " a tree", "rejected": " a sea"}""");
        var output = Path.Combine(_work, "out");
        var result = KtoProcess.Run("", "train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", output,
            "--per-device-train-batch-size", "2", "--max-steps", "2", "--save-steps", "1", "--learning-rate", "1e-3",
            "--gradient-checkpointing", "--sync-ref-model", "--ref-model-sync-steps", "1", "--ref-model-mixup-alpha", "0.5");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);

        // A syncing run's checkpoint carries its reference; the card lists the options by their TRL names.
        Assert.IsTrue(File.Exists(Path.Combine(output, "checkpoint-1", "ref_model", "model.safetensors")));
        var card = File.ReadAllText(Path.Combine(output, "README.md"));
        foreach (var row in new[] { "| gradient_checkpointing | true |", "| sync_ref_model | true |", "| ref_model_mixup_alpha | 0.5 |", "| ref_model_sync_steps | 1 |" })
        {
            StringAssert.Contains(card, row);
        }
        StringAssert.Contains(File.ReadAllText(Path.Combine(output, "report.html")), "sync_ref_model");
    }

    [TestMethod]
    public void CtrlCStopsAtAStepBoundaryWithACheckpointAndSaysWhereToResume()
    {
        var data = Dataset(
            """{"prompt": "the sky is", "chosen": " blue", "rejected": " green"}""",
            """{"prompt": "on the hill", "chosen": " a tree", "rejected": " a sea"}""");
        var output = Path.Combine(_work, "out");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kto.dll"));
        foreach (var a in new[] { "train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", output,
                     "--per-device-train-batch-size", "2", "--max-steps", "100000", "--logging-steps", "1", "--save-steps", "0" })
        {
            info.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        // Wait for a logged step (plain lines: output is redirected), then send SIGINT as Ctrl+C would.
        while (process.StandardOutput.ReadLine() is { } line && !line.StartsWith("[train] step", StringComparison.Ordinal)) { }
        System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        var rest = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(true); Assert.Fail("kto did not stop after SIGINT"); }
        _ = rest.Result;

        Assert.AreEqual(130, process.ExitCode, stderr.Result);
        StringAssert.Contains(stderr.Result, "cancelled at step");
        var checkpoint = Directory.GetDirectories(output, "checkpoint-*").Single();
        StringAssert.Contains(stderr.Result, $"resume from {checkpoint}");
        Assert.IsTrue(File.Exists(Path.Combine(checkpoint, "trainer_state.json")) && File.Exists(Path.Combine(checkpoint, "model.safetensors")));
        Assert.IsFalse(File.Exists(Path.Combine(output, "config.json")), "no final model for a cancelled run");
    }

    [TestMethod]
    public void EveryOptionHasAFlag()
    {
        static string Kebab(string name) => System.Text.RegularExpressions.Regex.Replace(name, "([a-z0-9])([A-Z])", "$1-$2").ToLowerInvariant();
        var flags = Commands.TrainCommand.Create().Options.Select(o => o.Name).ToHashSet();
        var properties = typeof(KtoOptions).GetProperties().Where(p => p.CanWrite).ToList();
        foreach (var property in properties.Where(p => p.PropertyType != typeof(Data.KtoColumnNames)))
        {
            Assert.IsTrue(flags.Contains("--" + Kebab(property.Name)), $"KtoOptions.{property.Name} has no flag --{Kebab(property.Name)}");
        }

        foreach (var column in typeof(Data.KtoColumnNames).GetProperties().Where(p => p.CanWrite))
        {
            Assert.IsTrue(flags.Contains($"--{Kebab(column.Name)}-column"), $"KtoColumnNames.{column.Name} has no flag");
        }

        foreach (var setting in typeof(LoraOptions).GetProperties().Where(p => p.CanWrite))
        {
            var name = Kebab(setting.Name);
            Assert.IsTrue(flags.Contains(name.Contains("lora") ? "--" + name : "--lora-" + name), $"LoraOptions.{setting.Name} has no flag");
        }

        Assert.IsTrue(flags.Contains("--lora-r") && flags.Contains("--lora-target-modules") && flags.Contains("--use-rslora"));

        Assert.IsTrue(flags.Contains("--per-device-train-batch-size") && flags.Contains("--adam-beta1") && flags.Contains("--dtype"));
    }

    [TestMethod]
    public void TheOutputDirectoryIsCheckedBeforeTrainingAndAFinishedRunIsKept()
    {
        var data = Dataset("""{"prompt": "the sky is", "chosen": " blue", "rejected": " green"}""", """{"prompt": "on the hill", "chosen": " a tree", "rejected": " a sea"}""");
        var file = Path.Combine(_work, "a-file");
        File.WriteAllText(file, "");
        var result = KtoProcess.Run("", "train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", file);
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "is a file");

        var output = Path.Combine(_work, "run");
        string[] args = ["train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", output, "--per-device-train-batch-size", "2", "--max-steps", "1", "--save-steps", "0"];
        Assert.AreEqual(0, KtoProcess.Run("", args).ExitCode);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(output, "model.safetensors"));
        var again = KtoProcess.Run("", args);
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.Stderr, "--overwrite-output-dir");
        Assert.AreEqual(stamp, File.GetLastWriteTimeUtc(Path.Combine(output, "model.safetensors")), "the finished run is untouched");
        Assert.AreEqual(0, KtoProcess.Run("", [.. args, "--overwrite-output-dir"]).ExitCode);
        Assert.AreEqual(1, File.ReadAllLines(Path.Combine(output, "metrics.jsonl")).Length, "a replaced run's metrics start afresh");
    }

    [TestMethod]
    public void BadDataNamesTheRowAndWritesNothing()
    {
        var data = Dataset("""{"prompt": "a", "completion": "b", "label": "maybe"}""");
        var output = Path.Combine(_work, "out");
        var result = KtoProcess.Run("", "train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", output);
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "column 'label' must be true/false");
        Assert.IsFalse(Directory.Exists(output), "nothing is written when the data is wrong");
    }

    [TestMethod]
    public void BatchSizeOneWithKtoLossIsRejected()
    {
        var data = Dataset("""{"prompt": "a", "completion": "b", "label": true}""");
        var result = KtoProcess.Run("", "train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", Path.Combine(_work, "o"),
            "--per-device-train-batch-size", "1");
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "KL estimate");
    }
}

[TestClass]
public sealed class GenerateCommandTests
{
    [TestMethod]
    public void PrintsTheSameCompletionAsTheLibraryAndFailsCleanlyOnAMissingModel()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 3);
        string expected;
        using (var model = KtoTransformer.Load(fixtures.Directory))
        {
            expected = model.Generate("the sky", new Generation.GenerationOptions { MaxNewTokens = 10 }, applyChatTemplate: false);
        }

        var result = KtoProcess.Run("", "generate", "--model", fixtures.Directory, "--prompt", "the sky", "--max-new-tokens", "10", "--raw");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.AreEqual(expected + "\n", result.Stdout);

        var missing = KtoProcess.Run("", "generate", "--model", "/no/such/model", "--prompt", "x");
        Assert.AreEqual(1, missing.ExitCode);
        StringAssert.Contains(missing.Stderr, "/no/such/model");
    }

    [TestMethod]
    public void AnMLNetModelZipSavedHereGeneratesTheSameInAFreshProcess()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 3);
        var ml = new MLContext(seed: 1);
        using var kto = KtoTransformer.Load(fixtures.Directory);
        var data = ml.Data.LoadFromEnumerable(new[] { new { question = "the sky" } });
        var chain = new TransformerChain<ITransformer>(ml.Transforms.CopyColumns("prompt", "question").Fit(data), kto);
        var zip = Path.Combine(Path.GetTempPath(), $"kto-cli-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.SaveWithKto(chain, data.Schema, zip);
            var expected = kto.Generate("the sky", new Generation.GenerationOptions { MaxNewTokens = 10 }, applyChatTemplate: false);
            var result = KtoProcess.Run("", "generate", "--model", zip, "--prompt", "the sky", "--max-new-tokens", "10", "--raw");
            Assert.AreEqual(0, result.ExitCode, result.Stderr);
            Assert.AreEqual(expected + "\n", result.Stdout, "the weights and tokenizer travelled in the zip");
        }
        finally
        {
            File.Delete(zip);
        }
    }
}
