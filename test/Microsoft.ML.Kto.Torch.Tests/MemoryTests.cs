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
        long heapAfterWarmup = 0, rssAfterWarmup = 0;
        for (var step = 1; step <= 10_000; step++)
        {
            using (DisposeScope.Open())
            {
                var loss = (x.Matmul(w) - y).Square().Mean();
                loss.Backward();
                GradientClipping.ClipGradNorm([w], 1.0);
                optimizer.Step();
                optimizer.ZeroGrad();
            }
            if (step == 2_000) (heapAfterWarmup, rssAfterWarmup) = (NativeHeap.InUseBytes(), CurrentRss());
        }
        // One leaked [32, 8] float tensor per step would add 8,000 x 1 KB here.
        var heapGrowthKb = (NativeHeap.InUseBytes() - heapAfterWarmup) / 1e3;
        Assert.IsTrue(heapGrowthKb < 256, $"the native heap grew by {heapGrowthKb:F0} KB over 8,000 steps");
        // RSS also counts the test host's managed heap and code; a few MB of that is expected.
        var rssGrowthMb = (CurrentRss() - rssAfterWarmup) / 1e6;
        Assert.IsTrue(rssGrowthMb < 12, $"RSS grew by {rssGrowthMb:F1} MB over 8,000 steps");
        optimizer.Dispose();
        foreach (var t in new[] { w, x, y }) t.Dispose();
        Assert.AreEqual(start, Tensor.LiveCount);
    }

    // Collects managed garbage first, so the reading tracks native memory (what a leaked tensor would hold).
    private static long CurrentRss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}
