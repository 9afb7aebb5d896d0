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
    /// Uses one intra-op thread per physical core unless the user chose a count (OMP_NUM_THREADS). libtorch can start
    /// with a single thread when loaded from a host process, which makes matmul several times slower; hyper-threads
    /// share a core's vector units, so more threads than cores only adds synchronisation.
    /// </summary>
    public static void UseAllCoresUnlessConfigured()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")) && NumThreads != PhysicalCores)
            NumThreads = PhysicalCores;
    }

    /// <summary>Physical cores this process may use: distinct (package, core) pairs in /proc/cpuinfo, capped by the logical processors available.</summary>
    public static int PhysicalCores { get; } = CountPhysicalCores();

    private static int CountPhysicalCores()
    {
        try
        {
            var cores = new HashSet<(string, string)>();
            string package = "", core = "";
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var parts = line.Split(':', 2);
                if (parts.Length != 2) continue;
                switch (parts[0].Trim())
                {
                    case "physical id": package = parts[1].Trim(); break;
                    case "core id": core = parts[1].Trim(); cores.Add((package, core)); break;
                }
            }
            return cores.Count == 0 ? Environment.ProcessorCount : Math.Min(cores.Count, Environment.ProcessorCount);
        }
        catch (IOException)
        {
            return Environment.ProcessorCount;
        }
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

    /// <summary>
    /// Serves tensors of 256 KiB and more from a cache of freed blocks (size classes 12.5% apart) instead of the system
    /// allocator. Training steps repeat the same shapes, and without the cache every large tensor is a fresh mmap whose
    /// pages the kernel faults in and zeroes again on each step. Idempotent; later calls change the limit. Call it before
    /// creating tensors on other threads.
    /// </summary>
    /// <param name="limitBytes">Most bytes kept cached (idle); freed blocks beyond it go back to the system.</param>
    public static void UseCachingAllocator(long limitBytes = 2L << 30)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limitBytes);
        NativeError.CheckStatus(NativeMethods.kt_cpu_cache_enable(limitBytes));
    }

    /// <summary>Returns every idle cached block to the system (tensors in use are unaffected).</summary>
    public static void ReleaseCachedMemory() => NativeError.CheckStatus(NativeMethods.kt_cpu_cache_release());

    /// <summary>The caching allocator's counters (all zero before <see cref="UseCachingAllocator"/>).</summary>
    public static unsafe CpuCacheStatistics CpuCache
    {
        get
        {
            long cached, allocated, hits, misses;
            NativeError.CheckStatus(NativeMethods.kt_cpu_cache_stats(&cached, &allocated, &hits, &misses));
            return new CpuCacheStatistics(cached, allocated, hits, misses);
        }
    }
}

/// <summary>Counters of the CPU caching allocator.</summary>
/// <param name="CachedBytes">Idle bytes kept for reuse.</param>
/// <param name="AllocatedBytes">Bytes in tensors currently served by the cache's size classes.</param>
/// <param name="Hits">Allocations served from the cache.</param>
/// <param name="Misses">Allocations that went to the system.</param>
public readonly record struct CpuCacheStatistics(long CachedBytes, long AllocatedBytes, long Hits, long Misses);
