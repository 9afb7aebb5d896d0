using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Lora;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;

namespace Microsoft.ML.Kto.Cli.Bench;

/// <summary>
/// Times full KTO optimizer steps of the real <see cref="KtoTrainer"/> on a random Llama model and random tokens:
/// policy forward + backward on the completion batch, policy no-grad forward on the KL batch, reference log-probs
/// (frozen model, the policy with its adapters off with --lora-r, or cached with --precompute-ref), clipping and AdamW;
/// with --save-steps also checkpoint writes.
/// </summary>
internal static class KtoStepBenchmark
{
    public static JsonObject Run(BenchSettings settings, TextWriter log)
    {
        var dtype = TorchTypes.ParseDType(settings.DType);
        var device = TorchTypes.ParseDevice(settings.Device);
        var peakGflops = MatmulPeak.MeasureGflops(dtype, device);
        var config = ModelConfig.Parse(ConfigJson(settings), "kto bench flags");
        var examples = RandomExamples(settings);
        var padTokenId = settings.Vocab - 1;
        var checkpoints = settings.SaveSteps > 0 ? Directory.CreateTempSubdirectory("kto-bench-") : null;
        var options = new KtoOptions
        {
            PerDeviceTrainBatchSize = settings.Batch,
            MaxSteps = settings.Warmup + settings.Steps,
            MaxLength = null,
            LoggingSteps = settings.Warmup + settings.Steps,
            SaveSteps = settings.SaveSteps,
            SaveTotalLimit = settings.SaveSteps > 0 ? 2 : null,
            OutputDir = checkpoints?.FullName,
            LearningRate = 5e-7,
            DType = settings.DType,
            Device = settings.Device,
            PrecomputeRefLogProbs = settings.PrecomputeRef,
            GradientCheckpointing = settings.GradientCheckpointing,
        };

        using var policy = CausalLM.FromConfig(config, (ulong)settings.Seed, dtype, device);
        // Full fine-tuning scores the reference with a frozen copy; LoRA with the policy's adapters off (no copy).
        CausalLM? referenceModel = null;
        IReferenceLogProbs reference;
        if (settings.LoraR > 0)
        {
            LoraModel.Create(policy, new LoraOptions { R = settings.LoraR, TargetModules = [LoraOptions.AllLinear] }, "kto bench", (ulong)settings.Seed);
            reference = new AdapterReference(policy);
        }
        else
        {
            referenceModel = CausalLM.FromConfig(config, (ulong)settings.Seed, dtype, device);
            reference = new FrozenReferenceModel(referenceModel);
        }
        if (settings.PrecomputeRef)
        {
            var precomputed = new PrecomputedReferenceLogProbs();
            precomputed.Add(examples, reference, new KtoCollator(padTokenId, null, policy.Device), settings.Batch, withKl: true);
            referenceModel?.Dispose();
            referenceModel = null;
            reference = precomputed;
        }

        var timer = new StepTimer(settings.Warmup, device);
        try
        {
            using var trainer = new KtoTrainer(policy, reference, options.ToTrainingSettings(), padTokenId);
            timer.Start();
            trainer.Train(examples, progress: timer);
        }
        finally
        {
            referenceModel?.Dispose();
            checkpoints?.Delete(recursive: true);
        }

        var stepSeconds = timer.MedianTimedSeconds();
        var flops = ModelFlops.PerStep(settings);
        var achieved = flops / stepSeconds / 1e9;
        log.WriteLine($"kto bench: steps (ms) {string.Join(" ", timer.StepMilliseconds.Select(ms => ms.ToString("F0")))}");
        return new JsonObject
        {
            ["impl"] = "kto",
            ["engine"] = "TorchSharp " + TorchRuntime.TorchSharpVersion,
            ["libtorch_version"] = TorchRuntime.LibTorchVersion,
            ["device"] = settings.Device,
            ["threads"] = TorchRuntime.NumThreads,
            ["tokens_per_s"] = settings.Batch * settings.SequenceLength / stepSeconds,
            ["step_ms"] = stepSeconds * 1000,
            ["step_ms_all"] = new JsonArray(timer.StepMilliseconds.Skip(settings.Warmup).Select(ms => (JsonNode)ms).ToArray()),
            ["peak_rss_mb"] = ProcessMemory.PeakRssMb(),
            ["model_flops_per_step"] = flops,
            ["achieved_gflops"] = achieved,
            ["matmul_peak_gflops"] = peakGflops,
            ["mfu"] = achieved / peakGflops,
            ["live_tensors_after_warmup"] = timer.LiveTensorsAfterWarmup,
            ["live_tensors_end"] = timer.LiveTensorsAtEnd,
            ["rss_mb_after_warmup"] = timer.RssAfterWarmup,
            ["rss_mb_end"] = timer.RssAtEnd,
            ["open_fds_after_warmup"] = timer.OpenFdsAfterWarmup,
            ["open_fds_end"] = timer.OpenFdsAtEnd,
            ["save_steps"] = settings.SaveSteps,
            ["layers"] = settings.Layers,
            ["hidden"] = settings.Hidden,
            ["heads"] = settings.Heads,
            ["kv_heads"] = settings.KvHeads,
            ["intermediate"] = settings.Intermediate,
            ["vocab"] = settings.Vocab,
            ["batch"] = settings.Batch,
            ["prompt_len"] = settings.PromptLength,
            ["completion_len"] = settings.CompletionLength,
            ["warmup"] = settings.Warmup,
            ["steps"] = settings.Steps,
            ["precompute_ref"] = settings.PrecomputeRef,
            ["gradient_checkpointing"] = settings.GradientCheckpointing,
            ["lora_r"] = settings.LoraR,
            ["dtype"] = settings.DType,
        };
    }

    private static JsonObject ConfigJson(BenchSettings s) => new()
    {
        ["model_type"] = "llama",
        ["vocab_size"] = s.Vocab,
        ["hidden_size"] = s.Hidden,
        ["intermediate_size"] = s.Intermediate,
        ["num_hidden_layers"] = s.Layers,
        ["num_attention_heads"] = s.Heads,
        ["num_key_value_heads"] = s.KvHeads,
        ["max_position_embeddings"] = Math.Max(2048, s.SequenceLength),
        ["rms_norm_eps"] = 1e-6,
        ["tie_word_embeddings"] = false,
        ["eos_token_id"] = s.Vocab - 1,
    };

    // Full-length rows (no padding), labels alternating, a fresh batch for every step; KL partners as in training.
    private static List<PreparedExample> RandomExamples(BenchSettings s)
    {
        var random = new Random(s.Seed);
        int[] Tokens(int count) => Enumerable.Range(0, count).Select(_ => random.Next(s.Vocab - 1)).ToArray();
        var examples = Enumerable.Range(0, s.Batch * (s.Warmup + s.Steps))
            .Select(i => new PreparedExample(Tokens(s.PromptLength), Tokens(s.CompletionLength), Label: i % 2 == 0, SourceRow: i + 1))
            .ToList();
        return KlCompletions.Assign(examples, s.Batch);
    }

    /// <summary>Turns the trainer's end-of-step reports into step durations, live-tensor counts and RSS.</summary>
    private sealed class StepTimer(int warmup, TorchSharp.torch.Device device) : IProgress<KtoProgress>
    {
        private readonly Stopwatch _clock = new();
        private double _last;

        public List<double> StepMilliseconds { get; } = [];
        public long LiveTensorsAfterWarmup { get; private set; }
        public long LiveTensorsAtEnd { get; private set; }
        public double RssAfterWarmup { get; private set; }
        public double RssAtEnd { get; private set; }
        public int OpenFdsAfterWarmup { get; private set; }
        public int OpenFdsAtEnd { get; private set; }

        public void Start() => _clock.Start();

        public void Report(KtoProgress value)
        {
            if (value.Phase != "train" || value.Metrics is not null)
            {
                return;
            }

            DeviceSync.Wait(device);
            var now = _clock.Elapsed.TotalMilliseconds;
            StepMilliseconds.Add(now - _last);
            _last = now;
            LiveTensorsAtEnd = TorchRuntime.LiveTensors;
            RssAtEnd = ProcessMemory.RssMb();
            OpenFdsAtEnd = ProcessMemory.OpenFileDescriptors();
            if (StepMilliseconds.Count == warmup)
            {
                LiveTensorsAfterWarmup = LiveTensorsAtEnd;
                RssAfterWarmup = RssAtEnd;
                OpenFdsAfterWarmup = OpenFdsAtEnd;
            }
        }

        public double MedianTimedSeconds()
        {
            var timed = StepMilliseconds.Skip(warmup).Order().ToArray();
            if (timed.Length == 0)
            {
                throw new InvalidOperationException("No timed steps: --steps must be at least 1.");
            }

            return timed[timed.Length / 2] / 1000;
        }
    }
}
