using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Torch.Tests;

[TestClass]
public sealed class AutogradTests
{
    // f(x) = sum_i log_softmax(x W)[i, t_i]: the shape of the KTO log-prob computation.
    private static Tensor Objective(Tensor x, Tensor w, Tensor targets) =>
        x.Matmul(w).LogSoftmax(1).Gather(1, targets.Unsqueeze(1)).Sum();

    [TestMethod]
    public void GradientMatchesFiniteDifferencesInFloat64()
    {
        using var scope = DisposeScope.Open();
        using var g = new Generator(7);
        var x = Tensor.Randn([3, 4], g, DType.Float64);
        var w = Tensor.Randn([4, 5], g, DType.Float64);
        var targets = Tensor.From<long>([4, 0, 2], [3]);
        w.RequiresGrad = true;
        Objective(x, w, targets).Backward();
        var analytic = w.Grad!.ToArray<double>();

        var baseValues = w.Detach().ToArray<double>();
        const double h = 1e-6;
        for (var i = 0; i < baseValues.Length; i++)
        {
            var plus = (double[])baseValues.Clone();
            var minus = (double[])baseValues.Clone();
            plus[i] += h;
            minus[i] -= h;
            var fPlus = Objective(x, Tensor.From<double>(plus, [4, 5]), targets).Item<double>();
            var fMinus = Objective(x, Tensor.From<double>(minus, [4, 5]), targets).Item<double>();
            Assert.AreEqual((fPlus - fMinus) / (2 * h), analytic[i], 1e-7, $"d f / d w[{i}]");
        }
    }

    [TestMethod]
    public void NoGradStopsRecordingAndRestores()
    {
        using var scope = DisposeScope.Open();
        var w = Tensor.Ones([2]);
        w.RequiresGrad = true;
        Assert.IsTrue(NoGrad.IsEnabled);
        using (NoGrad.Enter())
        {
            Assert.IsFalse(NoGrad.IsEnabled);
            Assert.IsFalse((w * 2).RequiresGrad);
        }
        Assert.IsTrue(NoGrad.IsEnabled);
        Assert.IsTrue((w * 2).RequiresGrad);
    }

    [TestMethod]
    public void GradAccumulatesAndZeroGradClears()
    {
        using var scope = DisposeScope.Open();
        var w = Tensor.From<float>([1, 2], [2]);
        w.RequiresGrad = true;
        Assert.IsNull(w.Grad);
        (w * w).Sum().Backward();
        (w * 3).Sum().Backward();
        CollectionAssert.AreEqual(new float[] { 5, 7 }, w.Grad!.ToArray<float>());
        Tensor.ZeroGrad([w]);
        Assert.IsNull(w.Grad);
        Assert.IsFalse(w.Detach().RequiresGrad);
    }
}
