namespace Microsoft.ML.Kto.Training;

/// <summary>
/// Linear warm-up from 0 to the base rate over <see cref="WarmupSteps"/>, then linear decay to 0 at
/// <see cref="TotalSteps"/> (transformers' <c>get_linear_schedule_with_warmup</c>).
/// </summary>
public sealed class LinearSchedule
{
    /// <summary>Creates the schedule.</summary>
    public LinearSchedule(double baseLearningRate, long warmupSteps, long totalSteps)
    {
        if (totalSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "A schedule needs at least one step.");
        }

        if (warmupSteps < 0 || warmupSteps > totalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"Warm-up steps must lie in [0, {totalSteps}].");
        }

        BaseLearningRate = baseLearningRate;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
    }

    /// <summary>The peak learning rate.</summary>
    public double BaseLearningRate { get; }
    /// <summary>Steps of linear warm-up.</summary>
    public long WarmupSteps { get; }
    /// <summary>Step at which the rate reaches 0.</summary>
    public long TotalSteps { get; }

    /// <summary>The learning rate used for the optimizer step with the given 0-based index.</summary>
    public double LearningRateAt(long step)
    {
        if (step < WarmupSteps)
        {
            return BaseLearningRate * step / Math.Max(1, WarmupSteps);
        }

        return BaseLearningRate * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
