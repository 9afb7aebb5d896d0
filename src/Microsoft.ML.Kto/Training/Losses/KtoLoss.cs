using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Losses;

/// <summary>
/// Base of the KTO-family losses: each row's loss depends on its log-ratio r = policy - reference and its label;
/// rows are weighted by class and averaged over the micro-batch. Rows of an absent class simply do not exist in
/// the mean, so a single-class micro-batch is well defined (TRL #1447 produced NaN there).
/// </summary>
public abstract class KtoLoss(double beta, double desirableWeight, double undesirableWeight)
{
    /// <summary>Temperature of the implicit reward.</summary>
    public double Beta { get; } = beta;
    /// <summary>Weight of desirable rows' losses.</summary>
    public double DesirableWeight { get; } = desirableWeight;
    /// <summary>Weight of undesirable rows' losses.</summary>
    public double UndesirableWeight { get; } = undesirableWeight;

    /// <summary>Whether the loss needs the KL reference point (and so the KL forward passes).</summary>
    public abstract bool UsesKl { get; }

    /// <summary>Per-row loss of desirable rows given their log-ratios.</summary>
    protected abstract Tensor DesirableLosses(Tensor logRatios, Tensor? kl);

    /// <summary>Per-row loss of undesirable rows given their log-ratios.</summary>
    protected abstract Tensor UndesirableLosses(Tensor logRatios, Tensor? kl);

    /// <summary>Creates the loss that TRL's <c>loss_type</c> names.</summary>
    public static KtoLoss Create(KtoLossType type, double beta, double desirableWeight, double undesirableWeight) => type switch
    {
        KtoLossType.Kto => new KtoSigmoidLoss(beta, desirableWeight, undesirableWeight),
        _ => new ApoZeroUnpairedLoss(beta, desirableWeight, undesirableWeight),
    };

    /// <summary>Loss and rewards of a micro-batch.</summary>
    public KtoLossOutput Compute(KtoLossInputs inputs)
    {
        var device = inputs.PolicyLogProbs.device;
        var logRatios = inputs.PolicyLogProbs - inputs.ReferenceLogProbs;
        var rewards = (logRatios * Beta).detach();
        var desirable = Rows(inputs.Labels, true, device);
        var undesirable = Rows(inputs.Labels, false, device);
        var parts = new List<Tensor>(2);
        if (desirable is not null)
        {
            parts.Add(DesirableLosses(logRatios.index_select(0, desirable), inputs.Kl) * DesirableWeight);
        }

        if (undesirable is not null)
        {
            parts.Add(UndesirableLosses(logRatios.index_select(0, undesirable), inputs.Kl) * UndesirableWeight);
        }

        var loss = parts.Count == 0
            ? zeros([], inputs.PolicyLogProbs.dtype, device)
            : cat(parts).mean();
        return new KtoLossOutput(loss, rewards);
    }

    private static Tensor? Rows(bool[] labels, bool label, Device device)
    {
        var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).Select(i => (long)i).ToArray();
        return rows.Length == 0 ? null : tensor(rows, device: device);
    }
}
