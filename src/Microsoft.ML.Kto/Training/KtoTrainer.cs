using System.Text.Json;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training.Losses;
using Microsoft.ML.Kto.Training.Reference;
using TorchSharp;
using static TorchSharp.torch;
using AdamW = TorchSharp.Modules.AdamW;
using Parameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// The KTO training loop over prepared examples, in sequential order (KL pairs are fixed per batch): AdamW with a
/// linear schedule, gradient accumulation and clipping, logging, evaluation, checkpoints, resume and cancellation
/// at step boundaries. A bfloat16 policy trains through float32 master weights (<see cref="MasterWeights"/>); a
/// float16 one is refused. Owns the optimizer and the masters; the policy and reference belong to the caller.
/// </summary>
public sealed class KtoTrainer : IDisposable
{
    private readonly ICausalLM _policy;
    private readonly IReferenceLogProbs _reference;
    private readonly TrainingSettings _options;
    private readonly KtoLoss _loss;
    private readonly KtoCollator _collator;
    private readonly AdamW _optimizer;
    private readonly MasterWeights _masters;
    private readonly Parameter[] _trainable;
    // The reference model SyncRefModel updates (null without syncing), and the policy's checkpointing flag as the
    // caller had it, restored on Dispose.
    private readonly FrozenReferenceModel? _syncedReference;
    private readonly bool? _callerCheckpointing;

    /// <summary>
    /// Creates a trainer; the policy's parameters start collecting gradients (of a LoRA policy, only its trained
    /// adapter's), and with <see cref="TrainingSettings.GradientCheckpointing"/> it checkpoints its layers until the
    /// trainer is disposed.
    /// </summary>
    public KtoTrainer(ICausalLM policy, IReferenceLogProbs reference, TrainingSettings options, int padTokenId)
    {
        if (reference is FrozenReferenceModel frozen && ReferenceEquals(frozen.Model, policy))
        {
            throw new ArgumentException(
                "The reference model must not be the policy itself; load a separate copy (as TRL requires), or, for a LoRA policy, use an AdapterReference (the policy with its adapters off).");
        }

        if (options.SyncRefModel)
        {
            _syncedReference = reference as FrozenReferenceModel ?? throw new ArgumentException(
                "SyncRefModel updates the reference model, but this reference is precomputed log-probs (PrecomputeRefLogProbs), which cannot be synced; turn one of them off.");
            // Fails now rather than at step RefModelSyncSteps.
            _ = _syncedReference.ParameterPairs(policy);
        }

        var checkpointing = policy as IGradientCheckpointing;
        if (options.GradientCheckpointing && checkpointing is null)
        {
            throw new NotSupportedException(
                $"GradientCheckpointing needs a model that implements {nameof(IGradientCheckpointing)}; {policy.GetType().Name} does not. Implement it (run each layer through ActivationCheckpoint.Apply) or turn GradientCheckpointing off.");
        }

        _policy = policy;
        _reference = reference;
        _options = options;
        _loss = KtoLoss.Create(options.LossType, options.Beta, options.DesirableWeight, options.UndesirableWeight);
        _collator = new KtoCollator(padTokenId, options.MaxLength, policy.Device);
        var trainable = TrainableParameters(policy);
        _masters = MasterWeights.For(policy);
        // Clipping measures what AdamW updates: for a bfloat16 policy, the masters' float32 gradient sums.
        _trainable = trainable.Select(_masters.Optimized).ToArray();
        _optimizer = AdamWParameterGroups.Create(policy.Module, _masters.Optimized, options.LearningRate, options.AdamBeta1, options.AdamBeta2, options.AdamEpsilon, options.WeightDecay);
        // Last: nothing after it throws, so only a trainer whose Dispose restores the flag ever sets it.
        if (options.GradientCheckpointing)
        {
            _callerCheckpointing = checkpointing!.GradientCheckpointing;
            checkpointing.GradientCheckpointing = true;
        }
    }

    // PEFT's split for a LoRA policy: its trained adapter (and modules to save) learn and the base stays frozen.
    private static Parameter[] TrainableParameters(ICausalLM policy)
    {
        if (policy is CausalLM { Lora: { } lora })
        {
            return lora.PrepareForTraining();
        }

        policy.SetRequiresGrad(true);
        return policy.Module.parameters().ToArray();
    }

    /// <summary>Counters of the run so far.</summary>
    public TrainingState State { get; private set; } = new();

    /// <summary>Optimizer steps the options imply for a training set of this many examples.</summary>
    public long PlannedSteps(int exampleCount)
    {
        if (_options.MaxSteps > 0)
        {
            return _options.MaxSteps;
        }

        var microBatches = ExampleBatches.Count(exampleCount, _options.PerDeviceTrainBatchSize);
        var stepsPerEpoch = Math.Max(1, microBatches / _options.GradientAccumulationSteps);
        return Math.Max(1, (long)Math.Ceiling(stepsPerEpoch * _options.NumTrainEpochs));
    }

    /// <summary>
    /// Trains on <paramref name="train"/> (KL completions must be assigned). Evaluates each eval set at every
    /// <c>EvalSteps</c>. Returns when the planned steps are done or <paramref name="cancellation"/> fires (at a
    /// step boundary, after writing a checkpoint when an output directory is set).
    /// </summary>
    public TrainingState Train(IReadOnlyList<PreparedExample> train, IReadOnlyDictionary<string, IReadOnlyList<PreparedExample>>? eval = null,
        IProgress<KtoProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty after preparation.", nameof(train));
        }

        var totalSteps = PlannedSteps(train.Count);
        var warmup = _options.WarmupSteps > 0 ? _options.WarmupSteps : (long)Math.Ceiling(totalSteps * _options.WarmupRatio);
        var schedule = new LinearSchedule(_options.LearningRate, Math.Min(warmup, totalSteps), totalSteps);
        if (_options.ResumeFromCheckpoint is { } checkpoint)
        {
            State = Checkpoints.Load(checkpoint, _policy, _optimizer, _syncedReference?.Model);
        }

        State.PlannedSteps = totalSteps;
        var metrics = new MetricsAccumulator { TotalTokens = State.TotalTokens };
        var step = new KtoStep(_policy, _reference, _loss);
        var microBatchesPerEpoch = ExampleBatches.Count(train.Count, _options.PerDeviceTrainBatchSize);
        var accumulation = _options.GradientAccumulationSteps;

        while (State.GlobalStep < totalSteps)
        {
            if (cancellation.IsCancellationRequested)
            {
                State.Cancelled = true;
                SaveCheckpoint(progress, totalSteps);
                break;
            }
            for (var micro = 0; micro < accumulation; micro++)
            {
                using var scope = NewDisposeScope();
                var index = (int)(State.MicroBatchesDone % microBatchesPerEpoch);
                var chunk = ExampleBatches.At(train, index, _options.PerDeviceTrainBatchSize);
                metrics.Add(step.Run(_collator.Collate(chunk, _loss.UsesKl), train: true, lossScale: 1.0 / accumulation));
                _masters.AccumulateGradients();
                State.MicroBatchesDone++;
            }
            var learningRate = schedule.LearningRateAt(State.GlobalStep);
            foreach (var group in _optimizer.ParamGroups)
            {
                group.LearningRate = learningRate;
            }

            var gradNorm = nn.utils.clip_grad_norm_(_trainable, _options.MaxGradNorm);
            // In a scope: TorchSharp 0.107's zero_grad returns each zeroed gradient as a new, undisposed tensor handle.
            using (NewDisposeScope())
            {
                _optimizer.step();
                _masters.FinishStep();
                _optimizer.zero_grad();
            }
            State.GlobalStep++;
            State.TotalTokens = metrics.TotalTokens;
            metrics.AddOptimizerStep(gradNorm, learningRate);
            // Where TRL's SyncRefModelCallback.on_step_end runs: after the optimizer step, before logging, evaluation
            // and the checkpoint of this step.
            if (_syncedReference is not null && State.GlobalStep % _options.RefModelSyncSteps == 0)
            {
                _syncedReference.MixIn(_policy, _options.RefModelMixupAlpha);
            }

            var epoch = (double)State.MicroBatchesDone / microBatchesPerEpoch;
            var last = State.GlobalStep == totalSteps;

            if (State.GlobalStep % _options.LoggingSteps == 0 || last)
            {
                Log(metrics.Flush(epoch), progress, totalSteps);
            }

            if (eval is { Count: > 0 } && (State.GlobalStep % (_options.EvalSteps ?? _options.LoggingSteps) == 0 || last))
            {
                foreach (var (name, set) in eval)
                {
                    Log(Evaluate(set, name, epoch), progress, totalSteps);
                }
            }

            if (_options.SaveSteps > 0 && State.GlobalStep % _options.SaveSteps == 0 && !last)
            {
                SaveCheckpoint(progress, totalSteps);
            }

            progress?.Report(new KtoProgress("train", State.GlobalStep, totalSteps));
        }
        return State;
    }

    /// <summary>Evaluation metrics (prefixed <c>eval_</c>, or <c>eval_{name}_</c> for named sets) without updating anything.</summary>
    public Dictionary<string, double> Evaluate(IReadOnlyList<PreparedExample> examples, string name = "eval", double epoch = 0)
    {
        var metrics = new MetricsAccumulator();
        var step = new KtoStep(_policy, _reference, _loss);
        foreach (var chunk in ExampleBatches.All(examples, _options.PerDeviceEvalBatchSize))
        {
            using var scope = NewDisposeScope();
            metrics.Add(step.Run(_collator.Collate(chunk, _loss.UsesKl), train: false, lossScale: 1));
        }
        var prefix = name == "eval" ? "eval_" : $"eval_{name}_";
        var values = metrics.Flush(epoch);
        values.Remove(KtoMetrics.LearningRate);
        values.Remove(KtoMetrics.GradNorm);
        values.Remove(KtoMetrics.NumTokens);
        values.Remove(KtoMetrics.Epoch);
        var result = values.ToDictionary(kv => prefix + kv.Key, kv => kv.Value);
        result[KtoMetrics.Epoch] = epoch;
        return result;
    }

    private void Log(Dictionary<string, double> values, IProgress<KtoProgress>? progress, long totalSteps)
    {
        values["step"] = State.GlobalStep;
        State.LogHistory.Add(values);
        if (_options.OutputDir is { } dir)
        {
            Directory.CreateDirectory(dir);
            File.AppendAllText(Path.Combine(dir, "metrics.jsonl"), JsonSerializer.Serialize(values, TrainingState.JsonOptions) + "\n");
        }
        progress?.Report(new KtoProgress(values.Keys.Any(k => k.StartsWith("eval_", StringComparison.Ordinal)) ? "eval" : "train", State.GlobalStep, totalSteps, values));
    }

    private void SaveCheckpoint(IProgress<KtoProgress>? progress, long totalSteps)
    {
        if (_options.OutputDir is not { } dir)
        {
            return;
        }

        var path = Checkpoints.Save(dir, _policy, _optimizer, State, _options.SaveTotalLimit, _syncedReference?.Model);
        State.LastCheckpoint = path;
        progress?.Report(new KtoProgress("save", State.GlobalStep, totalSteps, Message: $"checkpoint written: {path}"));
    }

    /// <summary>Frees the optimizer state and the master weights, and gives the policy its gradient-checkpointing setting back.</summary>
    public void Dispose()
    {
        if (_callerCheckpointing is { } previous)
        {
            ((IGradientCheckpointing)_policy).GradientCheckpointing = previous;
        }

        _optimizer.Dispose();
        _masters.Dispose();
    }
}
