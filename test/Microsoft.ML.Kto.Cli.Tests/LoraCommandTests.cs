using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Cli.Commands;
using Microsoft.ML.Kto.Tests;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Tests;

/// <summary>LoRA from the command line: the generated --lora-… flags, kto train writing a PEFT adapter, kto merge.</summary>
[TestClass]
public sealed class LoraCommandTests
{
    private TinyKtoFixtures _fixtures = null!;
    private string _work = "";

    [TestInitialize]
    public void Create()
    {
        _fixtures = TinyKtoFixtures.Create();
        _work = Directory.CreateTempSubdirectory("kto-lora-cli-").FullName;
    }

    [TestCleanup]
    public void Delete()
    {
        _fixtures.Dispose();
        Directory.Delete(_work, true);
    }

    private static KtoOptions Parse(params string[] args)
    {
        var flags = KtoOptionFlags.Create();
        var command = new CliCommand("train");
        foreach (var flag in flags.Flags)
        {
            command.Options.Add(flag);
        }

        var result = command.Parse(args);
        Assert.AreEqual(0, result.Errors.Count, string.Join("; ", result.Errors.Select(e => e.Message)));
        return flags.Read(result);
    }

    [TestMethod]
    public void LoraIsOffUnlessALoraFlagIsGiven()
    {
        Assert.IsNull(Parse("--beta", "0.2").Lora);
        var defaults = Parse("--lora").Lora!;
        Assert.AreEqual(8, defaults.R);
        Assert.AreEqual(8, defaults.Alpha);
        CollectionAssert.AreEqual(new[] { "q_proj", "v_proj" }, defaults.TargetModules);
        Assert.AreEqual(0, defaults.ModulesToSave.Length);

        var lora = Parse("--lora-r", "16", "--lora-alpha", "32", "--lora-dropout", "0.05", "--lora-target-modules", "q_proj, k_proj,o_proj",
            "--lora-modules-to-save", "lm_head,embed_tokens", "--use-rslora", "--lora-adapter-directory", "/a", "--lora-reference-adapter-directory", "/b").Lora!;
        Assert.AreEqual(16, lora.R);
        Assert.AreEqual(32, lora.Alpha);
        Assert.AreEqual(0.05, lora.Dropout);
        CollectionAssert.AreEqual(new[] { "q_proj", "k_proj", "o_proj" }, lora.TargetModules);
        CollectionAssert.AreEqual(new[] { "lm_head", "embed_tokens" }, lora.ModulesToSave);
        Assert.IsTrue(lora.UseRslora);
        Assert.AreEqual("/a", lora.AdapterDirectory);
        Assert.AreEqual("/b", lora.ReferenceAdapterDirectory);
        Assert.IsTrue(Parse("--use-rslora").Lora!.UseRslora, "any LoRA flag switches LoRA on");
    }

    [TestMethod]
    public void TrainWritesAPeftAdapterAndMergeWritesAModelThatGeneratesTheSame()
    {
        var data = Path.Combine(_work, "data.jsonl");
        File.WriteAllLines(data, [
            """{"prompt": "the sky is", "chosen": " blue", "rejected": " green"}""",
            """{"prompt": "on the hill", "chosen": " a tree", "rejected": " a sea"}""",
        ]);
        var adapter = Path.Combine(_work, "adapter");
        var train = KtoProcess.Run("", "train", "--model", _fixtures.Directory, "--dataset", data, "--output-dir", adapter,
            "--per-device-train-batch-size", "2", "--max-steps", "3", "--learning-rate", "5e-2", "--save-steps", "2",
            "--lora-r", "4", "--lora-alpha", "16", "--lora-target-modules", "q_proj,o_proj,down_proj", "--use-rslora", "--lora-modules-to-save", "lm_head");
        Assert.AreEqual(0, train.ExitCode, train.Stderr);

        Assert.IsFalse(File.Exists(Path.Combine(adapter, "model.safetensors")));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, "adapter_config.json")))!;
        Assert.AreEqual(4, config["r"]!.GetValue<int>());
        Assert.IsTrue(config["use_rslora"]!.GetValue<bool>());
        CollectionAssert.AreEqual(new[] { "q_proj", "o_proj", "down_proj" }, config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray());
        Assert.IsTrue(File.Exists(Path.Combine(adapter, "checkpoint-2", "adapter_model.safetensors")), "checkpoints hold the adapter");
        StringAssert.Contains(File.ReadAllText(Path.Combine(adapter, "README.md")), "| lora.r | 4 |");

        var merged = Path.Combine(_work, "merged");
        var merge = KtoProcess.Run("", "merge", "--model", _fixtures.Directory, "--adapter", adapter, "--output-dir", merged);
        Assert.AreEqual(0, merge.ExitCode, merge.Stderr);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(merged, file)), $"the merged model lacks {file}");
        }

        Assert.IsFalse(File.Exists(Path.Combine(merged, "adapter_config.json")));
        string[] Generate(string model) => ["generate", "--model", model, "--prompt", "the sky is", "--max-new-tokens", "8", "--raw"];
        var fromAdapter = KtoProcess.Run("", Generate(adapter));
        var fromMerged = KtoProcess.Run("", Generate(merged));
        var fromBase = KtoProcess.Run("", Generate(_fixtures.Directory));
        Assert.AreEqual(0, fromAdapter.ExitCode, fromAdapter.Stderr);
        Assert.AreEqual(fromAdapter.Stdout, fromMerged.Stdout, "the merged model is the base with its adapter");
        Assert.AreNotEqual(fromBase.Stdout, fromAdapter.Stdout, "the adapter learned something");

        var score = KtoProcess.Run("", "score", "--model", adapter, "--dataset", data, "--ref-model", _fixtures.Directory);
        Assert.AreEqual(0, score.ExitCode, score.Stderr);
        var rewards = score.Stdout.Trim().Split('\n').Select(l => JsonNode.Parse(l)!["reward"]!.GetValue<double>()).ToList();
        Assert.AreEqual(4, rewards.Count);
        Assert.IsTrue(rewards.Any(r => r != 0), "an adapter directory scores with its adapter on, against the base model");

        var wrongBase = KtoProcess.Run("", "merge", "--model", _fixtures.Directory, "--adapter", _fixtures.Directory, "--output-dir", Path.Combine(_work, "x"));
        Assert.AreEqual(1, wrongBase.ExitCode);
        StringAssert.Contains(wrongBase.Stderr, "no adapter_config.json");
    }

    [TestMethod]
    public void BadLoraFlagsAreOneLineNamingTheOption()
    {
        var result = KtoProcess.Run("", "train", "--model", _fixtures.Directory, "--dataset", "x.jsonl", "--output-dir", Path.Combine(_work, "o"), "--lora-r", "0");
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "kto: error: Lora.R must be > 0 (got 0)");
    }
}
