using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Losses;

/// <summary>
/// TRL's <c>apo_zero_unpaired</c> loss: desirable 1 - σ(β r) pushes desirable likelihood up, undesirable σ(β r)
/// pushes undesirable likelihood down; no KL term (TRL logs kl = 0 for it).
/// </summary>
public sealed class ApoZeroUnpairedLoss(double beta, double desirableWeight, double undesirableWeight)
    : KtoLoss(beta, desirableWeight, undesirableWeight)
{
    /// <inheritdoc/>
    public override bool UsesKl => false;

    /// <inheritdoc/>
    protected override Tensor DesirableLosses(Tensor logRatios, Tensor? kl) => 1 - (logRatios * Beta).sigmoid();

    /// <inheritdoc/>
    protected override Tensor UndesirableLosses(Tensor logRatios, Tensor? kl) => (logRatios * Beta).sigmoid();
}
