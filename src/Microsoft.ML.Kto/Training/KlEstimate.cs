using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// KTO's reference point z₀: the mean over the micro-batch of policy minus reference log-probs of the mismatched
/// (KL) pairs, detached, clamped at 0 for the loss; the unclamped value is kept for logging, because the clamp
/// hides how far below 0 the estimate is (HALOs #24).
/// </summary>
public sealed record KlEstimate(Tensor Clamped, double Raw)
{
    /// <summary>Computes the estimate from [B] KL log-probs under the policy and the reference.</summary>
    public static KlEstimate From(Tensor policyKlLogProbs, Tensor referenceKlLogProbs)
    {
        var raw = (policyKlLogProbs - referenceKlLogProbs).mean().detach();
        return new KlEstimate(raw.clamp_min(0), raw.to(ScalarType.Float64).item<double>());
    }
}
