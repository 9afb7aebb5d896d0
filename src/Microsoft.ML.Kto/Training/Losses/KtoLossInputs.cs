using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Losses;

/// <summary>What a KTO-family loss sees for one micro-batch.</summary>
/// <param name="PolicyLogProbs">[B] summed completion log-probs under the policy (with gradients).</param>
/// <param name="ReferenceLogProbs">[B] the same under the reference model (no gradients).</param>
/// <param name="Labels">Per row: true = desirable, false = undesirable.</param>
/// <param name="Kl">The detached, clamped KL reference point (a scalar tensor), or null for losses that do not use it.</param>
public sealed record KtoLossInputs(Tensor PolicyLogProbs, Tensor ReferenceLogProbs, bool[] Labels, Tensor? Kl);

/// <summary>A loss's result for one micro-batch.</summary>
/// <param name="Loss">Scalar: mean over the micro-batch of the weighted per-row losses (0 for an empty batch, never NaN).</param>
/// <param name="Rewards">[B] beta * (policy - reference) log-ratio, detached.</param>
public sealed record KtoLossOutput(Tensor Loss, Tensor Rewards);
