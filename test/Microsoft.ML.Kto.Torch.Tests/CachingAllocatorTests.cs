namespace Microsoft.ML.Kto.Torch.Tests;

[TestClass]
public sealed class CachingAllocatorTests
{
    [TestMethod]
    public void RepeatedLargeShapesAreServedFromTheCacheWithinItsLimit()
    {
        const long limit = 64L << 20;
        TorchRuntime.UseCachingAllocator(limit);
        try
        {
            var before = TorchRuntime.CpuCache;
            for (var i = 0; i < 5; i++)
            {
                using var scope = DisposeScope.Open();
                var t = Tensor.Zeros([1024, 1024]); // 4 MiB, above the 256 KiB threshold
                Assert.AreEqual(0.0, t.Sum().Item<float>(), "a reused block still gets the values asked for");
            }
            var after = TorchRuntime.CpuCache;
            Assert.IsTrue(after.Hits - before.Hits >= 4, $"hits {before.Hits} -> {after.Hits}");
            Assert.IsTrue(after.CachedBytes <= limit);
            TorchRuntime.ReleaseCachedMemory();
            Assert.AreEqual(0, TorchRuntime.CpuCache.CachedBytes);
        }
        finally
        {
            TorchRuntime.UseCachingAllocator();
        }
    }
}
