using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>The autograd gradient of the losses w.r.t. the policy log-probs, against finite differences and the closed form (float64).</summary>
[TestClass]
public sealed class KtoLossGradientTests
{
    private static readonly double[] Policy = [-3.0, -5.5, -2.25, -7.0, -1.0];
    private static readonly double[] Reference = [-3.5, -5.0, -2.0, -8.0, -1.5];
    private static readonly bool[] Labels = [true, false, true, false, false];
    private const double Kl = 0.3;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double LossAt(KtoLoss loss, double[] policy)
    {
        using var scope = NewDisposeScope();
        return loss.Compute(new KtoLossInputs(tensor(policy), tensor(Reference), Labels, tensor(Kl, ScalarType.Float64))).Loss.ToDouble();
    }

    private static double[] AutogradGradient(KtoLoss loss)
    {
        using var scope = NewDisposeScope();
        var policy = tensor(Policy);
        policy.requires_grad = true;
        var kl = tensor(Kl, ScalarType.Float64);
        loss.Compute(new KtoLossInputs(policy, tensor(Reference), Labels, kl)).Loss.backward();
        Assert.IsNotNull(policy.grad);
        return policy.grad.data<double>().ToArray();
    }

    [TestMethod]
    [DataRow("kto")]
    [DataRow("apo_zero_unpaired")]
    public void GradientMatchesCentralFiniteDifferences(string type)
    {
        var loss = KtoLoss.Create(KtoLossTypeNames.Parse(type), 0.7, 1.25, 0.8);
        var gradient = AutogradGradient(loss);
        const double h = 1e-5;
        for (var i = 0; i < Policy.Length; i++)
        {
            var plus = (double[])Policy.Clone();
            var minus = (double[])Policy.Clone();
            plus[i] += h;
            minus[i] -= h;
            var numeric = (LossAt(loss, plus) - LossAt(loss, minus)) / (2 * h);
            // Central differences are accurate to O(h²) ~ 1e-10 here; a wrong sign or factor is off by far more.
            Assert.AreEqual(numeric, gradient[i], 1e-9, $"row {i}");
        }
    }

    [TestMethod]
    public void KtoGradientHasTheClosedForm()
    {
        // d/dr [1 - σ(β(r - KL))] = -β σ(1 - σ) for desirable rows; d/dr [1 - σ(β(KL - r))] = +β σ(1 - σ) for undesirable
        // rows; each scaled by its class weight and divided by the row count (the mean). KL is a constant (detached).
        const double beta = 0.7, dw = 1.25, uw = 0.8;
        var gradient = AutogradGradient(new KtoSigmoidLoss(beta, dw, uw));
        for (var i = 0; i < Policy.Length; i++)
        {
            var r = Policy[i] - Reference[i];
            var s = Sigmoid(beta * (Labels[i] ? r - Kl : Kl - r));
            var expected = (Labels[i] ? -dw : uw) * beta * s * (1 - s) / Policy.Length;
            Assert.AreEqual(expected, gradient[i], 1e-14, $"row {i}");
        }
    }
}
