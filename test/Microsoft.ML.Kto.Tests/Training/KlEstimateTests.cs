using Microsoft.ML.Kto.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>KTO's reference point: mean of (policy - reference) KL log-probs, clamped at 0 for the loss, raw kept for logging.</summary>
[TestClass]
public sealed class KlEstimateTests
{
    [TestMethod]
    public void PositiveEstimateIsTheMeanOfDifferences()
    {
        using var scope = NewDisposeScope();
        // Differences 1.5, -0.5, 2.0 -> mean 1.0.
        var kl = KlEstimate.From(tensor([-2.0, -4.0, -1.0]), tensor([-3.5, -3.5, -3.0]));
        Assert.AreEqual(1.0, kl.Raw, 1e-15);
        Assert.AreEqual(1.0, kl.Clamped.ToDouble(), 1e-15);
        Assert.AreEqual(0, kl.Clamped.dim(), "the reference point is a scalar");
    }

    [TestMethod]
    public void NegativeEstimateIsClampedButTheRawValueIsKept()
    {
        using var scope = NewDisposeScope();
        // Differences -1, -0.5 -> mean -0.75; the loss sees 0 (TRL's clamp), the log sees -0.75 (HALOs #24).
        var kl = KlEstimate.From(tensor([-5f, -2.5f]), tensor([-4f, -2f]));
        Assert.AreEqual(-0.75, kl.Raw, 0);
        Assert.AreEqual(0.0, kl.Clamped.ToSingle(), 0);
    }

    [TestMethod]
    public void EstimateIsDetached()
    {
        using var scope = NewDisposeScope();
        // The KL term is a constant of the loss: no gradient may flow back into the policy's KL log-probs.
        var policy = tensor([1.0, 2.0]);
        policy.requires_grad = true;
        var kl = KlEstimate.From(policy * 1.0, tensor([0.0, 0.0]));
        Assert.IsFalse(kl.Clamped.requires_grad);
        Assert.AreEqual(1.5, kl.Raw, 0);
    }
}
