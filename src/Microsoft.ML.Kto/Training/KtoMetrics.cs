namespace Microsoft.ML.Kto.Training;

/// <summary>
/// The logged metric names (TRL's) and their definitions. Every metric is averaged over one logging interval;
/// evaluation logs the same names with the <c>eval_</c> prefix.
/// </summary>
public static class KtoMetrics
{
    /// <summary>Mean over the interval's micro-batches of the KTO loss (before division by accumulation steps).</summary>
    public const string Loss = "loss";
    /// <summary>Mean over micro-batches of the clamped KL reference point (0 for apo_zero_unpaired).</summary>
    public const string Kl = "kl";
    /// <summary>Mean over micro-batches of the unclamped KL estimate (not in TRL: the clamp hides negative values).</summary>
    public const string KlRaw = "kl_raw";
    /// <summary>Token-weighted mean over completion tokens of the policy's predictive entropy (nats).</summary>
    public const string Entropy = "entropy";
    /// <summary>Cumulative count of tokens (attention-mask sum of completion batches) processed since training began.</summary>
    public const string NumTokens = "num_tokens";
    /// <summary>Mean over desirable completion tokens of the vocabulary-mean logit.</summary>
    public const string LogitsChosen = "logits/chosen";
    /// <summary>Mean over undesirable completion tokens of the vocabulary-mean logit.</summary>
    public const string LogitsRejected = "logits/rejected";
    /// <summary>Sum of desirable rows' rewards β·(log π − log π_ref) divided by their count.</summary>
    public const string RewardsChosen = "rewards/chosen";
    /// <summary>Sum of undesirable rows' rewards divided by their count.</summary>
    public const string RewardsRejected = "rewards/rejected";
    /// <summary>Mean over micro-batches holding both classes of (mean desirable reward − mean undesirable reward).</summary>
    public const string RewardsMargins = "rewards/margins";
    /// <summary>Sum of desirable rows' summed completion log-probs divided by their count.</summary>
    public const string LogpsChosen = "logps/chosen";
    /// <summary>Sum of undesirable rows' summed completion log-probs divided by their count.</summary>
    public const string LogpsRejected = "logps/rejected";
    /// <summary>Learning rate used by the last optimizer step of the interval.</summary>
    public const string LearningRate = "learning_rate";
    /// <summary>Global gradient 2-norm before clipping, of the last optimizer step of the interval.</summary>
    public const string GradNorm = "grad_norm";
    /// <summary>Fractional epoch reached.</summary>
    public const string Epoch = "epoch";

    /// <summary>The metrics plotted and reported, in display order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Loss, Kl, KlRaw, Entropy, NumTokens, LogitsChosen, LogitsRejected, RewardsChosen, RewardsRejected,
        RewardsMargins, LogpsChosen, LogpsRejected, LearningRate, GradNorm, Epoch,
    ];
}
