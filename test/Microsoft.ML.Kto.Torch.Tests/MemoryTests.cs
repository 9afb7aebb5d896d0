using System.Diagnostics;
using Microsoft.ML.Kto.Torch;
using Microsoft.ML.Kto.Torch.Optim;

namespace Microsoft.ML.Kto.Torch.Tests;

[TestClass]
public sealed class MemoryTests
{
    [TestMethod]
    public void ScopesFreeEveryTemporaryAndMoveToOuterKeepsResults()
    {
        var start = Tensor.LiveCount;
        Tensor kept;
        using (var outer = DisposeScope.Open())
        {
            using (var inner = DisposeScope.Open())
            {
                var a = Tensor.Ones([4]);
                var b = a * 2 + 1;
                kept = inner.MoveToOuter(b.Sum());
                Assert.AreEqual(start + 4, Tensor.LiveCount);
            }
            Assert.AreEqual(start + 1, Tensor.LiveCount);
            Assert.AreEqual(12f, kept.Item<float>());
            var detached = outer.Detach(Tensor.Zeros([1]));
            Assert.AreEqual(start + 2, Tensor.LiveCount);
            detached.Dispose();
        }
        Assert.IsTrue(kept.IsDisposed);
        Assert.AreEqual(start, Tensor.LiveCount);
    }

    [TestMethod]
    public void TenThousandTrainingStepsLeaveNoTensorsAndFlatRss()
    {
        TorchRuntime.ManualSeed(1);
        var start = Tensor.LiveCount;
        using var g = new Generator(3);
        var w = Tensor.Normal([16, 8], 0, 0.1, g).DetachFromDisposeScope();
        w.RequiresGrad = true;
        var x = Tensor.Randn([32, 16], g).DetachFromDisposeScope();
        var y = Tensor.Randn([32, 8], g).DetachFromDisposeScope();
        using var optimizer = new AdamW([w], 1e-3);
        long rssAfterWarmup = 0;
        for (var step = 0; step < 10_000; step++)
        {
            using (DisposeScope.Open())
            {
                var loss = (x.Matmul(w) - y).Square().Mean();
                loss.Backward();
                GradientClipping.ClipGradNorm([w], 1.0);
                optimizer.Step();
                optimizer.ZeroGrad();
            }
            if (step == 1_000) rssAfterWarmup = CurrentRss();
        }
        var growthMb = (CurrentRss() - rssAfterWarmup) / 1e6;
        Assert.IsTrue(growthMb < 8, $"RSS grew by {growthMb:F1} MB over 9,000 steps");
        optimizer.Dispose();
        foreach (var t in new[] { w, x, y }) t.Dispose();
        Assert.AreEqual(start, Tensor.LiveCount);
    }

    private static long CurrentRss()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}
