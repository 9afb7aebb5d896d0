using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

/// <summary>Process-wide libtorch settings and facts.</summary>
public static class TorchRuntime
{
    /// <summary>Seeds libtorch's global generators (used where no <see cref="Generator"/> is passed).</summary>
    public static void ManualSeed(ulong seed) => NativeError.CheckStatus(NativeMethods.kt_manual_seed(seed));

    /// <summary>Intra-op threads libtorch uses (matmul, elementwise kernels).</summary>
    public static int NumThreads
    {
        get => NativeMethods.kt_get_num_threads();
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Use at least one thread.");
            NativeError.CheckStatus(NativeMethods.kt_set_num_threads(value));
        }
    }

    /// <summary>
    /// Uses every core for intra-op parallelism unless the user chose a count (OMP_NUM_THREADS). libtorch can start
    /// with a single thread when loaded from a host process, which makes matmul several times slower.
    /// </summary>
    public static void UseAllCoresUnlessConfigured()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")) && NumThreads < Environment.ProcessorCount)
            NumThreads = Environment.ProcessorCount;
    }

    /// <summary>The BLAS shared library actually mapped into this process (libtorch's build config only says "generic").</summary>
    public static string LoadedBlasLibrary =>
        File.Exists("/proc/self/maps")
            ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
                .FirstOrDefault(p => p.Contains("blas", StringComparison.OrdinalIgnoreCase)) ?? "none loaded yet"
            : "unknown";

    /// <summary>The libtorch version the native shim was compiled against.</summary>
    public static string LibTorchVersion => NativeError.TakeString(NativeMethods.kt_torch_version()) ?? "unknown";

    /// <summary>libtorch's build configuration (compiler, BLAS, OpenMP, CUDA), as <c>torch.__config__.show()</c>.</summary>
    public static string BuildConfig => NativeError.TakeString(NativeMethods.kt_build_config()) ?? "";

    /// <summary>Number of CUDA GPUs the loaded libtorch sees (0 for a CPU-only build).</summary>
    public static int CudaDeviceCount => NativeMethods.kt_cuda_device_count();
}
