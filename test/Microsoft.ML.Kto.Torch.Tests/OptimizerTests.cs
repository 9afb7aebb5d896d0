using Microsoft.ML.Kto.Torch;
using Microsoft.ML.Kto.Torch.Optim;

namespace Microsoft.ML.Kto.Torch.Tests;

[TestClass]
public sealed class OptimizerTests
{
    [TestMethod]
    public void AdamWStepsMatchTheHandComputedRecurrence()
    {
        using var scope = DisposeScope.Open();
        var p = Tensor.From<double>([1.0, -2.0], [2]);
        p.RequiresGrad = true;
        const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        using var adam = new AdamW([p], lr, b1, b2, eps, wd);
        double[] value = [1.0, -2.0], m = [0, 0], v = [0, 0];
        for (var t = 1; t <= 3; t++)
        {
            (p * p * 0.5 * t).Sum().Backward();          // grad = t * p
            var grad = value.Select(x => t * x).ToArray();
            adam.Step();
            adam.ZeroGrad();
            for (var i = 0; i < 2; i++)
            {
                value[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * grad[i];
                v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
                var mHat = m[i] / (1 - Math.Pow(b1, t));
                var vHat = v[i] / (1 - Math.Pow(b2, t));
                value[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            var actual = p.Detach().ToArray<double>();
            for (var i = 0; i < 2; i++) Assert.AreEqual(value[i], actual[i], 1e-12, $"step {t}, element {i}");
        }
        Assert.AreEqual(3, adam.StepCount);
    }

    [TestMethod]
    public void AdamWStateRestoresExactly()
    {
        using var scope = DisposeScope.Open();
        double[] RunTwoSteps(AdamW adam, Tensor p)
        {
            for (var i = 0; i < 2; i++)
            {
                (p * p).Sum().Backward();
                adam.Step();
                adam.ZeroGrad();
            }
            return p.Detach().ToArray<double>();
        }
        var p1 = Tensor.From<double>([1.0, 2.0], [2]);
        p1.RequiresGrad = true;
        using var a1 = new AdamW([p1], 0.05);
        RunTwoSteps(a1, p1);
        var saved = a1.StateTensors().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var p2 = p1.Detach().Clone();
        p2.RequiresGrad = true;
        var expected = RunTwoSteps(a1, p1);

        using var a2 = new AdamW([p2], 0.05);
        a2.LoadState(saved, 2);
        CollectionAssert.AreEqual(expected, RunTwoSteps(a2, p2));
    }

    [TestMethod]
    public void ClipGradNormReturnsTotalNormAndScales()
    {
        using var scope = DisposeScope.Open();
        var a = Tensor.From<float>([1, 1], [2]);
        var b = Tensor.From<float>([1], [1]);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        ((a * Tensor.From<float>([3, 0], [2])).Sum() + b * 4).Sum().Backward(); // grads [3, 0] and [4]: norm 5
        var norm = GradientClipping.ClipGradNorm([a, b], 1.0);
        Assert.AreEqual(5.0, norm, 1e-6);
        OpValueTests.AssertClose([0.6, 0], a.Grad!, 1e-6);
        OpValueTests.AssertClose([0.8], b.Grad!, 1e-6);
        Assert.AreEqual(1.0, GradientClipping.ClipGradNorm([a, b], 10.0), 1e-5, "below the limit nothing changes");
    }

    [TestMethod]
    public void LinearScheduleWarmsUpThenDecays()
    {
        var schedule = new LinearSchedule(1e-3, warmupSteps: 2, totalSteps: 6);
        var rates = Enumerable.Range(0, 7).Select(s => schedule.LearningRateAt(s)).ToArray();
        CollectionAssert.AreEqual(new[] { 0, 5e-4, 1e-3, 7.5e-4, 5e-4, 2.5e-4, 0 }, rates);
        Assert.AreEqual(1e-3, new LinearSchedule(1e-3, 0, 4).LearningRateAt(0));
    }

    [TestMethod]
    public void TinyMlpTrainedWithAdamWReachesTheLossThreshold()
    {
        using var scope = DisposeScope.Open();
        using var g = new Generator(5);
        // XOR-like target that a linear model cannot fit: y = sign(x0 * x1).
        var x = Tensor.Uniform([256, 2], -1, 1, g);
        var y = (x.Select(1, 0) * x.Select(1, 1)).Gt(0).To(DType.Int64);
        var w1 = Tensor.Normal([32, 2], 0, 0.5, g);
        var b1 = Tensor.Zeros([32]);
        var w2 = Tensor.Normal([2, 32], 0, 0.5, g);
        var b2 = Tensor.Zeros([2]);
        Tensor[] parameters = [w1, b1, w2, b2];
        foreach (var p in parameters) p.RequiresGrad = true;
        using var adam = new AdamW(parameters, 0.02, weightDecay: 0);
        double loss = double.NaN;
        for (var step = 0; step < 400; step++)
        {
            using var stepScope = DisposeScope.Open();
            var l = x.Linear(w1, b1).Tanh().Linear(w2, b2).CrossEntropy(y);
            l.Backward();
            adam.Step();
            adam.ZeroGrad();
            loss = l.Item<double>();
        }
        Assert.IsTrue(loss < 0.15, $"final loss {loss}");
    }
}
