using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Cli.Tests;

[TestClass]
public sealed class BenchCommandTests
{
    [TestMethod]
    public void PrintsOneJsonLineWithTheStatedFlopsFormula()
    {
        var result = KtoProcess.Run("", "bench", "--layers", "1", "--hidden", "32", "--heads", "2", "--kv-heads", "1", "--intermediate", "64",
            "--vocab", "100", "--batch", "2", "--prompt-len", "4", "--completion-len", "6", "--warmup", "1", "--steps", "3");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var json = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!.AsObject();
        // P_body = 1 * (32*(32 + 2*16) + 32*32 + 3*32*64) = 9216; S = 10, C = 6, q = 32.
        // F = 2*2*10*9216 + 4*2*1*100*32 + 2*2*6*32*100 = 368640 + 25600 + 76800 = 471040; step = 6F.
        Assert.AreEqual(6 * 471040.0, json["model_flops_per_step"]!.GetValue<double>());
        Assert.AreEqual(3, json["step_ms_all"]!.AsArray().Count);
        var stepMs = json["step_ms"]!.GetValue<double>();
        Assert.AreEqual(2 * 10 / (stepMs / 1000), json["tokens_per_s"]!.GetValue<double>(), 1e-6 * json["tokens_per_s"]!.GetValue<double>());
        Assert.IsTrue(json["matmul_peak_gflops"]!.GetValue<double>() > 0);
        Assert.AreEqual(json["achieved_gflops"]!.GetValue<double>() / json["matmul_peak_gflops"]!.GetValue<double>(), json["mfu"]!.GetValue<double>(), 1e-12);
        Assert.AreEqual(json["live_tensors_after_warmup"]!.GetValue<long>(), json["live_tensors_end"]!.GetValue<long>(), "no tensors leak across steps");
        Assert.IsTrue(json["peak_rss_mb"]!.GetValue<double>() > 10);
    }

    [TestMethod]
    public void LoraCountsInputGradientsOnlyPlusTheAdaptersAndLoadsNoReferenceCopy()
    {
        string[] shape = ["bench", "--layers", "1", "--hidden", "32", "--heads", "2", "--kv-heads", "1", "--intermediate", "64",
            "--vocab", "100", "--batch", "2", "--prompt-len", "4", "--completion-len", "6", "--warmup", "1", "--steps", "2", "--lora-r", "4"];
        var result = KtoProcess.Run("", shape);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var json = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!.AsObject();
        // F = 471040 as above; adapters: Σ(in + out) = 64 + 48 + 48 + 64 + 96 + 96 + 96 = 512, A_lora = 2*2*10*1*4*512 = 81920.
        // Step = 2F (forward, input gradients) + F (KL) + 2F (reference with adapters off) + 4·A_lora.
        Assert.AreEqual(5 * 471040.0 + 4 * 81920.0, json["model_flops_per_step"]!.GetValue<double>());
        Assert.AreEqual(4, json["lora_r"]!.GetValue<int>());
        Assert.AreEqual(json["live_tensors_after_warmup"]!.GetValue<long>(), json["live_tensors_end"]!.GetValue<long>());
        var precomputed = KtoProcess.Run("", [.. shape, "--precompute-ref"]);
        Assert.AreEqual(3 * 471040.0 + 4 * 81920.0, JsonNode.Parse(precomputed.Stdout.Trim().Split('\n')[^1])!["model_flops_per_step"]!.GetValue<double>());
    }

    [TestMethod]
    public void InconsistentShapesAreRejected()
    {
        var result = KtoProcess.Run("", "bench", "--hidden", "30", "--heads", "4");
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "--hidden 30 is not divisible by --heads 4");
    }
}

[TestClass]
public sealed class DemoCommandTests
{
    [TestMethod]
    public void RunsEveryStageAndEndsWithTheJsonLine()
    {
        var output = Directory.CreateTempSubdirectory("kto-demo-").FullName;
        try
        {
            var result = KtoProcess.Run("", "demo", "--output-dir", output, "--pretrain-steps", "10", "--feedback-problems", "16", "--held-out", "8");
            Assert.AreEqual(0, result.ExitCode, result.Stderr);
            var json = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!.AsObject();
            foreach (var key in new[] { "success_rate_before", "success_rate_after" })
            {
                Assert.IsTrue(json[key]!.GetValue<double>() is >= 0 and <= 1, key);
            }

            Assert.AreEqual(Path.GetFullPath(output), json["output_dir"]!.GetValue<string>());
            foreach (var file in new[] { "model.safetensors", "config.json", "tokenizer.json", "report.html", "README.md", "base-model/model.safetensors" })
            {
                Assert.IsTrue(File.Exists(Path.Combine(output, file)), file);
            }

            using var model = KtoTransformer.Load(output);
            Assert.AreEqual("llama", model.Model.Config.ModelType);
        }
        finally
        {
            Directory.Delete(output, true);
        }
    }

    [TestMethod]
    public void ImpossibleSplitsAreRejected()
    {
        var result = KtoProcess.Run("", "demo", "--output-dir", Path.Combine(Path.GetTempPath(), "kto-demo-never"), "--held-out", "0");
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "HeldOutProblems (0)");
    }
}

[TestClass]
public sealed class EnvCommandTests
{
    [TestMethod]
    public void ReportsTheEngineAndRejectsUnknownFlags()
    {
        var result = KtoProcess.Run("", "env");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "- TorchSharp version: 0.107.0");
        StringAssert.Contains(result.Stdout, "- libtorch version: 2.10");
        StringAssert.Contains(result.Stdout, "BLAS_INFO="); // libtorch's own build configuration, read through at::show_config
        StringAssert.Contains(result.Stdout, "at::get_num_threads()");
        StringAssert.Contains(result.Stdout, "- CUDA devices: none");

        var bad = KtoProcess.Run("", "env", "--bogus");
        Assert.AreNotEqual(0, bad.ExitCode);
        StringAssert.Contains(bad.Stderr, "--bogus");
    }
}
