namespace Microsoft.ML.Kto.Training;

/// <summary>How a training run ended.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="PlannedSteps">Optimizer steps the options implied.</param>
/// <param name="Cancelled">True when cancellation stopped the run early, at a step boundary.</param>
/// <param name="LastCheckpoint">The newest checkpoint written (the one to resume from after a cancellation), or null.</param>
public sealed record KtoTrainingSummary(long Step, long PlannedSteps, bool Cancelled, string? LastCheckpoint)
{
    /// <summary>"completed 10 of 10 steps" or "cancelled at step 3 of 10; resume from checkpoint-3 (ResumeFromCheckpoint)".</summary>
    public override string ToString() =>
        !Cancelled ? $"completed {Step} of {PlannedSteps} steps"
        : LastCheckpoint is null ? $"cancelled at step {Step} of {PlannedSteps}; no checkpoint was written (set OutputDir to get one)"
        : $"cancelled at step {Step} of {PlannedSteps}; resume from {LastCheckpoint} (ResumeFromCheckpoint / --resume-from-checkpoint)";
}
