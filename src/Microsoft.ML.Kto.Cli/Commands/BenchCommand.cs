using System.CommandLine;
using Microsoft.ML.Kto.Cli.Bench;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto bench</c>: times full KTO training steps on a random model; the last stdout line is JSON.</summary>
internal static class BenchCommand
{
    public static CliCommand Create()
    {
        var d = new BenchSettings();
        Option<int> Int(string name, int value, string description) => new(name) { DefaultValueFactory = _ => value, Description = description };
        var layers = Int("--layers", d.Layers, "Decoder layers.");
        var hidden = Int("--hidden", d.Hidden, "Hidden size.");
        var heads = Int("--heads", d.Heads, "Attention heads.");
        var kvHeads = Int("--kv-heads", d.KvHeads, "Key/value heads.");
        var intermediate = Int("--intermediate", d.Intermediate, "MLP intermediate size.");
        var vocab = Int("--vocab", d.Vocab, "Vocabulary size.");
        var batch = Int("--batch", d.Batch, "Rows per step.");
        var promptLength = Int("--prompt-len", d.PromptLength, "Prompt tokens per row.");
        var completionLength = Int("--completion-len", d.CompletionLength, "Completion tokens per row.");
        var warmup = Int("--warmup", d.Warmup, "Untimed steps first.");
        var steps = Int("--steps", d.Steps, "Timed steps (the median is reported).");
        var seed = Int("--seed", d.Seed, "Seed of the weights and tokens.");
        var saveSteps = Int("--save-steps", d.SaveSteps, "Write a checkpoint every N steps to a temporary directory, deleted afterwards (0: none; for soak runs).");
        var precompute = new Option<bool>("--precompute-ref") { Description = "Cache reference log-probs before timing (the reference model is released)." };
        var checkpointing = new Option<bool>("--gradient-checkpointing") { Description = "Recompute each decoder layer in backward instead of keeping its activations (KtoOptions.GradientCheckpointing)." };
        var loraR = Int("--lora-r", d.LoraR, "Train LoRA adapters of this rank on every linear layer (all-linear), with the policy's adapters-off reference instead of a frozen copy (0: full fine-tuning).");
        var dtype = new Option<string>("--dtype") { DefaultValueFactory = _ => d.DType, Description = "float32, or bfloat16 (AdamW on float32 master weights); float16 cannot train." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => d.Device, Description = "cpu, cuda or cuda:N (CUDA needs the cuda runtime build)." };
        var command = new CliCommand("bench", "Times full KTO steps (policy forward/backward, KL forward, reference, AdamW) on a random Llama model; prints JSON.")
            { layers, hidden, heads, kvHeads, intermediate, vocab, batch, promptLength, completionLength, warmup, steps, seed, saveSteps, precompute, checkpointing, loraR, dtype, device };
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            var settings = new BenchSettings
            {
                Layers = result.GetValue(layers),
                Hidden = result.GetValue(hidden),
                Heads = result.GetValue(heads),
                KvHeads = result.GetValue(kvHeads),
                Intermediate = result.GetValue(intermediate),
                Vocab = result.GetValue(vocab),
                Batch = result.GetValue(batch),
                PromptLength = result.GetValue(promptLength),
                CompletionLength = result.GetValue(completionLength),
                Warmup = result.GetValue(warmup),
                Steps = result.GetValue(steps),
                Seed = result.GetValue(seed),
                SaveSteps = result.GetValue(saveSteps),
                PrecomputeRef = result.GetValue(precompute),
                GradientCheckpointing = result.GetValue(checkpointing),
                LoraR = result.GetValue(loraR),
                DType = result.GetValue(dtype)!,
                Device = result.GetValue(device)!,
            };
            Validate(settings);
            Console.Out.WriteLine(KtoStepBenchmark.Run(settings, Console.Error).ToJsonString());
            return 0;
        }));
        return command;
    }

    private static void Validate(BenchSettings s)
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }
        Require(s.Layers > 0 && s.Hidden > 0 && s.Heads > 0 && s.KvHeads > 0 && s.Intermediate > 0, "--layers, --hidden, --heads, --kv-heads and --intermediate must be positive.");
        Require(s.Hidden % s.Heads == 0, $"--hidden {s.Hidden} is not divisible by --heads {s.Heads}.");
        Require(s.Heads % s.KvHeads == 0, $"--heads {s.Heads} is not divisible by --kv-heads {s.KvHeads}.");
        Require(s.Vocab >= 2, "--vocab must be at least 2.");
        Require(s.Batch >= 2, "--batch must be at least 2 (KTO's KL pairs need two rows).");
        Require(s.PromptLength >= 1 && s.CompletionLength >= 1, "--prompt-len and --completion-len must be at least 1.");
        Require(s.Warmup >= 0 && s.Steps >= 1, "--warmup must be >= 0 and --steps >= 1.");
        Require(s.SaveSteps >= 0, "--save-steps must be >= 0.");
        Require(s.LoraR >= 0, "--lora-r must be >= 0 (0: full fine-tuning).");
    }
}
