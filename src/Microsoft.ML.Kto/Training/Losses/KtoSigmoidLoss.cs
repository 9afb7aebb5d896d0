using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Losses;

/// <summary>
/// TRL's <c>kto</c> loss (KTO paper, Eq. 7): desirable 1 - σ(β(r - KL)), undesirable 1 - σ(β(KL - r)),
/// where KL is the batch's detached, clamped reference point.
/// </summary>
public sealed class KtoSigmoidLoss(double beta, double desirableWeight, double undesirableWeight)
    : KtoLoss(beta, desirableWeight, undesirableWeight)
{
    /// <inheritdoc/>
    public override bool UsesKl => true;

    /// <inheritdoc/>
    protected override Tensor DesirableLosses(Tensor logRatios, Tensor? kl) => 1 - ((logRatios - RequireKl(kl)) * Beta).sigmoid();

    /// <inheritdoc/>
    protected override Tensor UndesirableLosses(Tensor logRatios, Tensor? kl) => 1 - ((RequireKl(kl) - logRatios) * Beta).sigmoid();

    private static Tensor RequireKl(Tensor? kl) =>
        kl ?? throw new InvalidOperationException("The 'kto' loss needs the KL reference point; compute it from the KL pairs.");
}
