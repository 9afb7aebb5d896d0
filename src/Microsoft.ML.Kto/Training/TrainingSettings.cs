namespace Microsoft.ML.Kto.Training;

/// <summary>
/// What the training loop needs, free of the public API: the API layer maps <see cref="KtoOptions"/> onto it (each
/// setting means what the option of the same name means there, where it is documented and validated once).
/// </summary>
public sealed record TrainingSettings
{
    /// <summary>See <see cref="KtoOptions.LossType"/>.</summary>
    public required KtoLossType LossType { get; init; }
    /// <summary>See <see cref="KtoOptions.Beta"/>.</summary>
    public required double Beta { get; init; }
    /// <summary>See <see cref="KtoOptions.DesirableWeight"/>.</summary>
    public required double DesirableWeight { get; init; }
    /// <summary>See <see cref="KtoOptions.UndesirableWeight"/>.</summary>
    public required double UndesirableWeight { get; init; }
    /// <summary>See <see cref="KtoOptions.MaxLength"/>.</summary>
    public required int? MaxLength { get; init; }
    /// <summary>See <see cref="KtoOptions.PerDeviceTrainBatchSize"/>.</summary>
    public required int PerDeviceTrainBatchSize { get; init; }
    /// <summary>See <see cref="KtoOptions.PerDeviceEvalBatchSize"/>.</summary>
    public required int PerDeviceEvalBatchSize { get; init; }
    /// <summary>See <see cref="KtoOptions.GradientAccumulationSteps"/>.</summary>
    public required int GradientAccumulationSteps { get; init; }
    /// <summary>See <see cref="KtoOptions.GradientCheckpointing"/>.</summary>
    public required bool GradientCheckpointing { get; init; }
    /// <summary>See <see cref="KtoOptions.LearningRate"/>.</summary>
    public required double LearningRate { get; init; }
    /// <summary>See <see cref="KtoOptions.WeightDecay"/>.</summary>
    public required double WeightDecay { get; init; }
    /// <summary>See <see cref="KtoOptions.AdamBeta1"/>.</summary>
    public required double AdamBeta1 { get; init; }
    /// <summary>See <see cref="KtoOptions.AdamBeta2"/>.</summary>
    public required double AdamBeta2 { get; init; }
    /// <summary>See <see cref="KtoOptions.AdamEpsilon"/>.</summary>
    public required double AdamEpsilon { get; init; }
    /// <summary>See <see cref="KtoOptions.MaxGradNorm"/>.</summary>
    public required double MaxGradNorm { get; init; }
    /// <summary>See <see cref="KtoOptions.NumTrainEpochs"/>.</summary>
    public required double NumTrainEpochs { get; init; }
    /// <summary>See <see cref="KtoOptions.MaxSteps"/>.</summary>
    public required int MaxSteps { get; init; }
    /// <summary>See <see cref="KtoOptions.WarmupRatio"/>.</summary>
    public required double WarmupRatio { get; init; }
    /// <summary>See <see cref="KtoOptions.WarmupSteps"/>.</summary>
    public required int WarmupSteps { get; init; }
    /// <summary>See <see cref="KtoOptions.SyncRefModel"/>.</summary>
    public required bool SyncRefModel { get; init; }
    /// <summary>See <see cref="KtoOptions.RefModelMixupAlpha"/>.</summary>
    public required double RefModelMixupAlpha { get; init; }
    /// <summary>See <see cref="KtoOptions.RefModelSyncSteps"/>.</summary>
    public required int RefModelSyncSteps { get; init; }
    /// <summary>See <see cref="KtoOptions.LoggingSteps"/>.</summary>
    public required int LoggingSteps { get; init; }
    /// <summary>See <see cref="KtoOptions.SaveSteps"/>.</summary>
    public required int SaveSteps { get; init; }
    /// <summary>See <see cref="KtoOptions.SaveTotalLimit"/>.</summary>
    public required int? SaveTotalLimit { get; init; }
    /// <summary>See <see cref="KtoOptions.EvalSteps"/>.</summary>
    public required int? EvalSteps { get; init; }
    /// <summary>See <see cref="KtoOptions.OutputDir"/>.</summary>
    public required string? OutputDir { get; init; }
    /// <summary>See <see cref="KtoOptions.ResumeFromCheckpoint"/>.</summary>
    public required string? ResumeFromCheckpoint { get; init; }
}
