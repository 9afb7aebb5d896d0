namespace Microsoft.ML.Kto.Training;

/// <summary>What one micro-batch contributes to the metrics, already moved to host numbers.</summary>
/// <param name="Loss">The micro-batch's loss.</param>
/// <param name="Kl">Clamped KL reference point.</param>
/// <param name="KlRaw">Unclamped KL estimate.</param>
/// <param name="Labels">Per row: desirable or not.</param>
/// <param name="Rewards">Per row reward.</param>
/// <param name="LogProbs">Per row summed completion log-prob under the policy.</param>
/// <param name="EntropySums">Per row sum of token entropies.</param>
/// <param name="MeanLogitSums">Per row sum of token vocabulary-mean logits.</param>
/// <param name="TokenCounts">Per row completion token count.</param>
/// <param name="AttentionTokens">Attention-mask sum of the batch.</param>
public sealed record MicroBatchStatistics(
    double Loss, double Kl, double KlRaw, bool[] Labels, float[] Rewards, float[] LogProbs,
    float[] EntropySums, float[] MeanLogitSums, long[] TokenCounts, long AttentionTokens);
