using System.Diagnostics;
using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Cli.Bench;

/// <summary>The machine's practical float32 peak: the best of several 2048² matmuls after a warm-up (as the Python reference measures it).</summary>
internal static class MatmulPeak
{
    public static double MeasureGflops(int size = 2048, int repeats = 10)
    {
        using var scope = DisposeScope.Open();
        using var generator = new Generator(0);
        var a = Tensor.Normal([size, size], 0, 1, generator);
        var b = Tensor.Normal([size, size], 0, 1, generator);
        using (DisposeScope.Open()) a.Matmul(b);
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            using var inner = DisposeScope.Open();
            var clock = Stopwatch.StartNew();
            a.Matmul(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best / 1e9;
    }
}
