using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto;

/// <summary>
/// Options of KTO training. Names and defaults follow TRL's <c>KTOConfig</c> (and the transformers
/// <c>TrainingArguments</c> it extends) in .NET casing, so TRL knowledge carries over.
/// </summary>
public sealed class KtoOptions
{
    /// <summary>β: higher keeps the policy closer to the reference model. TRL default 0.1.</summary>
    public double Beta { get; set; } = 0.1;

    /// <summary>The loss: <see cref="KtoLossType.Kto"/> (default) or <see cref="KtoLossType.ApoZeroUnpaired"/>.</summary>
    public KtoLossType LossType { get; set; } = KtoLossType.Kto;

    /// <summary>Weight of desirable examples' losses (λ_D). Keep λ_D·n_D / (λ_U·n_U) in [1, 4/3].</summary>
    public double DesirableWeight { get; set; } = 1.0;

    /// <summary>Weight of undesirable examples' losses (λ_U).</summary>
    public double UndesirableWeight { get; set; } = 1.0;

    /// <summary>Maximum prompt+completion tokens; longer rows are cut from the right, rows whose prompt alone reaches it are dropped. Null: no limit.</summary>
    public int? MaxLength { get; set; } = 1024;

    /// <summary>Examples per micro-batch; at least 2 for the <c>kto</c> loss (the KL estimate pairs rows within a batch).</summary>
    public int PerDeviceTrainBatchSize { get; set; } = 8;

    /// <summary>Examples per evaluation batch.</summary>
    public int PerDeviceEvalBatchSize { get; set; } = 8;

    /// <summary>Micro-batches whose gradients are summed before each optimizer step.</summary>
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>
    /// Keep only each decoder layer's input during the policy's forward pass and recompute the layer in backward: far
    /// less activation memory for about one more forward pass per step, with the same gradients. The model must
    /// implement <see cref="Models.IGradientCheckpointing"/> (the built-in families do). False by default, as in
    /// transformers' <c>TrainingArguments</c> (TRL's <c>KTOConfig</c> now turns it on).
    /// </summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>Peak AdamW learning rate. TRL default 1e-6.</summary>
    public double LearningRate { get; set; } = 1e-6;

    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; set; }

    /// <summary>AdamW β₁.</summary>
    public double AdamBeta1 { get; set; } = 0.9;

    /// <summary>AdamW β₂.</summary>
    public double AdamBeta2 { get; set; } = 0.999;

    /// <summary>AdamW ε.</summary>
    public double AdamEpsilon { get; set; } = 1e-8;

    /// <summary>Gradient 2-norm clipping threshold.</summary>
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>Passes over the training data (fractions allowed), unless <see cref="MaxSteps"/> is set.</summary>
    public double NumTrainEpochs { get; set; } = 3.0;

    /// <summary>Total optimizer steps; overrides <see cref="NumTrainEpochs"/> when positive.</summary>
    public int MaxSteps { get; set; } = -1;

    /// <summary>Fraction of the steps spent warming the learning rate up linearly.</summary>
    public double WarmupRatio { get; set; }

    /// <summary>Warm-up steps; overrides <see cref="WarmupRatio"/> when positive.</summary>
    public int WarmupSteps { get; set; }

    /// <summary>Compute reference log-probs once before training, so the reference model can be released.</summary>
    public bool PrecomputeRefLogProbs { get; set; }

    /// <summary>Batch size of the precomputation; null means <see cref="PerDeviceTrainBatchSize"/>.</summary>
    public int? PrecomputeRefBatchSize { get; set; }

    /// <summary>
    /// Move the reference model towards the policy every <see cref="RefModelSyncSteps"/> optimizer steps (TR-DPO):
    /// each reference parameter becomes α·policy + (1 − α)·reference, α = <see cref="RefModelMixupAlpha"/>. Not with
    /// <see cref="PrecomputeRefLogProbs"/> (precomputed log-probs cannot follow a moving reference).
    /// </summary>
    public bool SyncRefModel { get; set; }

    /// <summary>α of the reference update with <see cref="SyncRefModel"/>: the policy's share, in [0, 1]. TRL default 0.6.</summary>
    public double RefModelMixupAlpha { get; set; } = 0.6;

    /// <summary>τ: optimizer steps between reference updates with <see cref="SyncRefModel"/>. TRL default 512.</summary>
    public int RefModelSyncSteps { get; set; } = 512;

    /// <summary>Optimizer steps between metric logs.</summary>
    public int LoggingSteps { get; set; } = 10;

    /// <summary>Optimizer steps between checkpoints (0 disables them).</summary>
    public int SaveSteps { get; set; } = 500;

    /// <summary>Checkpoints kept; older ones are deleted. Null keeps all.</summary>
    public int? SaveTotalLimit { get; set; }

    /// <summary>Optimizer steps between evaluations when evaluation data is given (null: at each log).</summary>
    public int? EvalSteps { get; set; }

    /// <summary>
    /// Prompts (the first distinct ones of the eval set, else of the training set) whose greedy completions before and
    /// after training are shown in <c>report.html</c>. Not in TRL; 0 skips the extra generation.
    /// </summary>
    public int ReportSampleCount { get; set; } = 4;

    /// <summary>Where metrics.jsonl, checkpoints and the final model go; null writes nothing.</summary>
    public string? OutputDir { get; set; }

    /// <summary>Seed of every random choice (model init in samples, sampling).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Input column names (TRL's defaults).</summary>
    public KtoColumnNames ColumnNames { get; set; } = new();

    /// <summary>Compute device: "cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// Model dtype: "float32" (default) or "bfloat16" (weights and activations bfloat16; AdamW updates float32 master
    /// weights with float32 moments, as transformers' bf16 mixed precision). "float16" is refused for training: it would
    /// need loss scaling, which this trainer does not do.
    /// </summary>
    public string DType { get; set; } = "float32";

    /// <summary>A checkpoint directory to resume from (same data and options give the same result as an uninterrupted run).</summary>
    public string? ResumeFromCheckpoint { get; set; }

    /// <summary>Train LoRA adapters instead of the whole model (TRL's <c>peft_config</c>); unset (null) trains the whole model.</summary>
    public LoraOptions? Lora { get; set; }

    /// <summary>The training loop's settings (validate first).</summary>
    internal Training.TrainingSettings ToTrainingSettings() => new()
    {
        LossType = LossType,
        Beta = Beta,
        DesirableWeight = DesirableWeight,
        UndesirableWeight = UndesirableWeight,
        MaxLength = MaxLength,
        PerDeviceTrainBatchSize = PerDeviceTrainBatchSize,
        PerDeviceEvalBatchSize = PerDeviceEvalBatchSize,
        GradientAccumulationSteps = GradientAccumulationSteps,
        GradientCheckpointing = GradientCheckpointing,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        AdamBeta1 = AdamBeta1,
        AdamBeta2 = AdamBeta2,
        AdamEpsilon = AdamEpsilon,
        MaxGradNorm = MaxGradNorm,
        NumTrainEpochs = NumTrainEpochs,
        MaxSteps = MaxSteps,
        WarmupRatio = WarmupRatio,
        WarmupSteps = WarmupSteps,
        SyncRefModel = SyncRefModel,
        RefModelMixupAlpha = RefModelMixupAlpha,
        RefModelSyncSteps = RefModelSyncSteps,
        LoggingSteps = LoggingSteps,
        SaveSteps = SaveSteps,
        SaveTotalLimit = SaveTotalLimit,
        EvalSteps = EvalSteps,
        OutputDir = OutputDir,
        ResumeFromCheckpoint = ResumeFromCheckpoint,
    };

    // TRL's spelling (snake_case, enums as their config strings), so tables read like a TRL config.
    private static readonly System.Text.Json.JsonSerializerOptions TrlNames = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Every option by its TRL name and value as text, nested ones (the column names) as <c>parent.child</c> (for reports and model cards).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToTrlNames()
    {
        var pairs = new List<KeyValuePair<string, string>>();
        void Flatten(string prefix, System.Text.Json.Nodes.JsonNode? node)
        {
            if (node is System.Text.Json.Nodes.JsonObject obj)
            {
                foreach (var (key, child) in obj)
                {
                    Flatten(prefix.Length == 0 ? key : $"{prefix}.{key}", child);
                }
            }
            else
            {
                pairs.Add(new(prefix, node is null ? "null" : node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString()));
            }
        }
        Flatten("", System.Text.Json.JsonSerializer.SerializeToNode(this, TrlNames));
        return pairs;
    }

    /// <summary>Checks the options, naming any that is out of range and how to fix it.</summary>
    public void Validate()
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }
        Require(Beta > 0, $"Beta must be > 0 (got {Beta}).");
        Require(DesirableWeight > 0 && UndesirableWeight > 0, "DesirableWeight and UndesirableWeight must be > 0.");
        Require(MaxLength is null or > 1, $"MaxLength must be at least 2 (got {MaxLength}).");
        Require(PerDeviceTrainBatchSize >= 1 && PerDeviceEvalBatchSize >= 1, "Batch sizes must be >= 1.");
        if (LossType == KtoLossType.Kto)
        {
            KlPairing.Validate(PerDeviceTrainBatchSize);
        }

        Require(GradientAccumulationSteps >= 1, "GradientAccumulationSteps must be >= 1.");
        Require(ReportSampleCount >= 0, "ReportSampleCount must be >= 0.");
        Require(LearningRate >= 0, "LearningRate must be >= 0.");
        Require(MaxSteps > 0 || NumTrainEpochs > 0, "Set MaxSteps > 0 or NumTrainEpochs > 0.");
        Require(WarmupRatio is >= 0 and <= 1, "WarmupRatio must lie in [0, 1].");
        Require(LoggingSteps >= 1, "LoggingSteps must be >= 1.");
        Require(SaveSteps >= 0, "SaveSteps must be >= 0.");
        Require(SaveTotalLimit is null or >= 1, "SaveTotalLimit must be >= 1 or null.");
        Require(MaxGradNorm > 0, "MaxGradNorm must be > 0.");
        Require(RefModelMixupAlpha is >= 0 and <= 1, $"RefModelMixupAlpha must lie in [0, 1] (got {RefModelMixupAlpha}).");
        Require(RefModelSyncSteps >= 1, $"RefModelSyncSteps must be >= 1 (got {RefModelSyncSteps}); to stop syncing, set SyncRefModel to false.");
        // As TRL: log-probs computed once before training would go stale at the first update of the reference.
        Require(!(SyncRefModel && PrecomputeRefLogProbs),
            "SyncRefModel and PrecomputeRefLogProbs cannot be combined: precomputed reference log-probs come from a fixed reference model, " +
            "but SyncRefModel updates it every RefModelSyncSteps steps, so they would go stale. Turn one of them off.");
        Require(!(SyncRefModel && Lora is not null),
            "SyncRefModel and Lora cannot be combined (as in TRL): a LoRA run's reference is the policy with its adapters switched off, " +
            "so there is no separate reference model to mix the policy into. Turn one of them off.");
        Models.TorchTypes.ParseDevice(Device);
        MasterWeights.RequireTrainable(Models.TorchTypes.ParseDType(DType));
        Lora?.Validate();
    }
}
