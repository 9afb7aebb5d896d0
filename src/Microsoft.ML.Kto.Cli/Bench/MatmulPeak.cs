using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Cli.Bench;

/// <summary>The device's practical matmul peak in the bench's dtype: the best of several 2048² matmuls after a warm-up.</summary>
internal static class MatmulPeak
{
    public static double MeasureGflops(ScalarType dtype, Device device, int size = 2048, int repeats = 10)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(0);
        var a = randn([size, size], generator: generator).to(dtype, device);
        var b = randn([size, size], generator: generator).to(dtype, device);
        using (NewDisposeScope())
        {
            a.matmul(b);
        }

        DeviceSync.Wait(device);
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            a.matmul(b);
            DeviceSync.Wait(device);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best / 1e9;
    }
}

/// <summary>Waits for queued GPU work, so wall-clock timings include it (CUDA kernels run asynchronously); a no-op on the CPU.</summary>
internal static class DeviceSync
{
    public static void Wait(Device device)
    {
        if (device.type == DeviceType.CUDA)
        {
            cuda.synchronize(device);
        }
    }
}
