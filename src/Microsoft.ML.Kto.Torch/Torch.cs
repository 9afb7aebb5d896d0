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

    /// <summary>The libtorch version the native shim was compiled against.</summary>
    public static string LibTorchVersion => NativeError.TakeString(NativeMethods.kt_torch_version()) ?? "unknown";

    /// <summary>libtorch's build configuration (compiler, BLAS, OpenMP, CUDA), as <c>torch.__config__.show()</c>.</summary>
    public static string BuildConfig => NativeError.TakeString(NativeMethods.kt_build_config()) ?? "";

    /// <summary>Number of CUDA GPUs the loaded libtorch sees (0 for a CPU-only build).</summary>
    public static int CudaDeviceCount => NativeMethods.kt_cuda_device_count();
}
