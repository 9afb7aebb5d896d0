using Microsoft.ML.Kto.Torch;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>KTO's reference point: mean of (policy - reference) KL log-probs, clamped at 0 for the loss, raw kept for logging.</summary>
[TestClass]
public sealed class KlEstimateTests
{
    [TestMethod]
    public void PositiveEstimateIsTheMeanOfDifferences()
    {
        using var scope = DisposeScope.Open();
        // Differences 1.5, -0.5, 2.0 -> mean 1.0.
        var kl = KlEstimate.From(Tensor.From<double>([-2.0, -4.0, -1.0]), Tensor.From<double>([-3.5, -3.5, -3.0]));
        Assert.AreEqual(1.0, kl.Raw, 1e-15);
        Assert.AreEqual(1.0, kl.Clamped.Item<double>(), 1e-15);
        Assert.AreEqual(0, kl.Clamped.Dim, "the reference point is a scalar");
    }

    [TestMethod]
    public void NegativeEstimateIsClampedButTheRawValueIsKept()
    {
        using var scope = DisposeScope.Open();
        // Differences -1, -0.5 -> mean -0.75; the loss sees 0 (TRL's clamp), the log sees -0.75 (HALOs #24).
        var kl = KlEstimate.From(Tensor.From<float>([-5f, -2.5f]), Tensor.From<float>([-4f, -2f]));
        Assert.AreEqual(-0.75, kl.Raw, 0);
        Assert.AreEqual(0.0, kl.Clamped.Item<float>(), 0);
    }

    [TestMethod]
    public void EstimateIsDetached()
    {
        using var scope = DisposeScope.Open();
        // The KL term is a constant of the loss: no gradient may flow back into the policy's KL log-probs.
        var policy = Tensor.From<double>([1.0, 2.0]);
        policy.RequiresGrad = true;
        var kl = KlEstimate.From(policy * 1.0, Tensor.From<double>([0.0, 0.0]));
        Assert.IsFalse(kl.Clamped.RequiresGrad);
        Assert.AreEqual(1.5, kl.Raw, 0);
    }
}
