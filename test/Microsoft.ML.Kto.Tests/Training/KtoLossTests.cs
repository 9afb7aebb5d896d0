using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Training;

/// <summary>
/// The <c>kto</c> and <c>apo_zero_unpaired</c> losses against the formulas of TRL's KTOTrainer, computed by hand in
/// doubles from fixed float64 log-probs (so the only difference is rounding order).
/// </summary>
[TestClass]
public sealed class KtoLossTests
{
    private const double Tolerance = 1e-12;

    // Row 0 and 2 desirable, 1 and 3 undesirable; log-ratios r = policy - reference = [0.5, -0.5, -0.25, 1.0].
    private static readonly double[] Policy = [-3.0, -5.5, -2.25, -7.0];
    private static readonly double[] Reference = [-3.5, -5.0, -2.0, -8.0];
    private static readonly bool[] Labels = [true, false, true, false];

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static Tensor F64(params double[] values) => tensor(values);

    private static (double Loss, double[] Rewards) Run(KtoLoss loss, double[] policy, double[] reference, bool[] labels, double? kl)
    {
        using var scope = NewDisposeScope();
        var output = loss.Compute(new KtoLossInputs(F64(policy), F64(reference), labels, kl is { } k ? tensor(k, ScalarType.Float64) : null));
        return (output.Loss.ToDouble(), output.Rewards.data<double>().ToArray());
    }

    // TRL: desirable 1 - σ(β(r - KL)), undesirable 1 - σ(β(KL - r)), then the mean of the weighted losses of both classes.
    private static double HandKto(double beta, double kl, double dw, double uw, double[] policy, double[] reference, bool[] labels)
    {
        var losses = new List<double>();
        for (var i = 0; i < labels.Length; i++)
        {
            var r = policy[i] - reference[i];
            losses.Add(labels[i] ? dw * (1 - Sigmoid(beta * (r - kl))) : uw * (1 - Sigmoid(beta * (kl - r))));
        }
        return losses.Average();
    }

    // TRL: desirable 1 - σ(β r), undesirable σ(β r); no KL term.
    private static double HandApo(double beta, double dw, double uw, double[] policy, double[] reference, bool[] labels)
    {
        var losses = new List<double>();
        for (var i = 0; i < labels.Length; i++)
        {
            var r = policy[i] - reference[i];
            losses.Add(labels[i] ? dw * (1 - Sigmoid(beta * r)) : uw * Sigmoid(beta * r));
        }
        return losses.Average();
    }

    [TestMethod]
    public void KtoLossAndRewardsMatchTheFormula()
    {
        var (loss, rewards) = Run(new KtoSigmoidLoss(0.1, 1, 1), Policy, Reference, Labels, kl: 0.3);
        Assert.AreEqual(HandKto(0.1, 0.3, 1, 1, Policy, Reference, Labels), loss, Tolerance);
        // Spelled out once, so a formula slip in HandKto would not hide one in the loss.
        var expected = ((1 - Sigmoid(0.1 * (0.5 - 0.3))) + (1 - Sigmoid(0.1 * (0.3 + 0.5))) + (1 - Sigmoid(0.1 * (-0.25 - 0.3))) + (1 - Sigmoid(0.1 * (0.3 - 1.0)))) / 4;
        Assert.AreEqual(expected, loss, Tolerance);
        // rewards = β · (policy - reference) for every row, whatever its label.
        CollectionAssert.AreEqual(new[] { 0.05, -0.05, -0.025, 0.1 }, rewards.Select(r => Math.Round(r, 12)).ToArray());
    }

    [TestMethod]
    public void KtoLossUsesTheKlReferencePoint()
    {
        // A larger KL makes desirable rows look worse and undesirable rows look better: the value must move.
        var (atZero, _) = Run(new KtoSigmoidLoss(0.5, 1, 1), Policy, Reference, Labels, kl: 0);
        var (atTwo, _) = Run(new KtoSigmoidLoss(0.5, 1, 1), Policy, Reference, Labels, kl: 2);
        Assert.AreEqual(HandKto(0.5, 0, 1, 1, Policy, Reference, Labels), atZero, Tolerance);
        Assert.AreEqual(HandKto(0.5, 2, 1, 1, Policy, Reference, Labels), atTwo, Tolerance);
        Assert.AreNotEqual(atZero, atTwo, 1e-6);
    }

    [TestMethod]
    public void KtoLossWithoutKlIsAnError()
    {
        using var scope = NewDisposeScope();
        var loss = new KtoSigmoidLoss(0.1, 1, 1);
        Assert.IsTrue(loss.UsesKl);
        Assert.ThrowsException<InvalidOperationException>(() => loss.Compute(new KtoLossInputs(F64(Policy), F64(Reference), Labels, null)));
    }

    [TestMethod]
    public void DesirableAndUndesirableWeightsScaleTheirClass()
    {
        var (kto, _) = Run(new KtoSigmoidLoss(0.1, 1.5, 0.75), Policy, Reference, Labels, kl: 0.3);
        Assert.AreEqual(HandKto(0.1, 0.3, 1.5, 0.75, Policy, Reference, Labels), kto, Tolerance);
        var (apo, _) = Run(new ApoZeroUnpairedLoss(0.2, 1.5, 0.75), Policy, Reference, Labels, kl: null);
        Assert.AreEqual(HandApo(0.2, 1.5, 0.75, Policy, Reference, Labels), apo, Tolerance);
        // Weights must not apply to the wrong class: swapping them changes the value.
        var (swapped, _) = Run(new KtoSigmoidLoss(0.1, 0.75, 1.5), Policy, Reference, Labels, kl: 0.3);
        Assert.AreNotEqual(kto, swapped, 1e-6);
    }

    [TestMethod]
    public void ApoZeroUnpairedLossAndRewardsMatchTheFormula()
    {
        var loss = new ApoZeroUnpairedLoss(0.1, 1, 1);
        Assert.IsFalse(loss.UsesKl);
        var (value, rewards) = Run(loss, Policy, Reference, Labels, kl: null);
        var expected = ((1 - Sigmoid(0.05)) + Sigmoid(-0.05) + (1 - Sigmoid(-0.025)) + Sigmoid(0.1)) / 4;
        Assert.AreEqual(expected, value, Tolerance);
        Assert.AreEqual(HandApo(0.1, 1, 1, Policy, Reference, Labels), value, Tolerance);
        CollectionAssert.AreEqual(new[] { 0.05, -0.05, -0.025, 0.1 }, rewards.Select(r => Math.Round(r, 12)).ToArray());
    }

    [TestMethod]
    public void ApoZeroUnpairedIgnoresAnyKl()
    {
        // apo_zero_unpaired has no KL term (TRL logs kl = 0): a KL passed in must not change the loss.
        var (withoutKl, _) = Run(new ApoZeroUnpairedLoss(0.1, 1, 1), Policy, Reference, Labels, kl: null);
        var (withKl, _) = Run(new ApoZeroUnpairedLoss(0.1, 1, 1), Policy, Reference, Labels, kl: 5);
        Assert.AreEqual(withoutKl, withKl, 0);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void SingleClassMicroBatchHasTheFiniteHandValue(bool label)
    {
        // TRL #1447: a micro-batch with no row of one class produced NaN. The absent class must contribute nothing.
        bool[] labels = [label, label, label, label];
        var (kto, ktoRewards) = Run(new KtoSigmoidLoss(0.1, 1.5, 0.75), Policy, Reference, labels, kl: 0.3);
        Assert.IsTrue(double.IsFinite(kto));
        Assert.AreEqual(HandKto(0.1, 0.3, 1.5, 0.75, Policy, Reference, labels), kto, Tolerance);
        Assert.IsTrue(ktoRewards.All(double.IsFinite));
        var (apo, _) = Run(new ApoZeroUnpairedLoss(0.1, 1.5, 0.75), Policy, Reference, labels, kl: null);
        Assert.IsTrue(double.IsFinite(apo));
        Assert.AreEqual(HandApo(0.1, 1.5, 0.75, Policy, Reference, labels), apo, Tolerance);
    }

    [TestMethod]
    public void CreateMapsTrlLossNames()
    {
        var kto = KtoLoss.Create(KtoLossTypeNames.Parse("kto"), 0.2, 1.5, 0.5);
        Assert.IsInstanceOfType<KtoSigmoidLoss>(kto);
        Assert.AreEqual((0.2, 1.5, 0.5), (kto.Beta, kto.DesirableWeight, kto.UndesirableWeight));
        Assert.IsInstanceOfType<ApoZeroUnpairedLoss>(KtoLoss.Create(KtoLossTypeNames.Parse("apo_zero_unpaired"), 0.1, 1, 1));
        Assert.ThrowsException<ArgumentException>(() => KtoLossTypeNames.Parse("sigmoid"));
    }
}
