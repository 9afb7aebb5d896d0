using System.Runtime.InteropServices;
using TorchSharp;

namespace Microsoft.ML.Kto.Models;

/// <summary>Process-wide libtorch facts and the thread setting (TorchSharp underneath).</summary>
public static class TorchRuntime
{
    /// <summary>Intra-op threads libtorch uses (matmul, elementwise kernels).</summary>
    public static int NumThreads
    {
        get => torch.get_num_threads();
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Use at least one thread.");
            }

            torch.set_num_threads(value);
        }
    }

    /// <summary>
    /// Uses one intra-op thread per physical core unless the user chose a count (OMP_NUM_THREADS). Hyper-threads share
    /// a core's vector units, so more threads than cores only adds synchronisation.
    /// </summary>
    public static void UseAllCoresUnlessConfigured()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")) && NumThreads != PhysicalCores)
        {
            NumThreads = PhysicalCores;
        }
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
                if (parts.Length != 2)
                {
                    continue;
                }

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

    /// <summary>The libtorch version TorchSharp loaded (<c>torch.__version__</c>).</summary>
    public static string LibTorchVersion => torch.__version__;

    /// <summary>The TorchSharp assembly version.</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>Number of CUDA GPUs the loaded libtorch sees (0 for the CPU runtime).</summary>
    public static int CudaDeviceCount => torch.cuda.is_available() ? torch.cuda.device_count() : 0;

    /// <summary>
    /// Tensors alive in the process (for leak checks: flat across steps, back to its start once models are disposed):
    /// TorchSharp's <c>Tensor.TotalCount</c> less the parameters this library's modules created, which TorchSharp 0.107
    /// never takes out of that count. Parameters made by other TorchSharp modules still count once each, forever.
    /// </summary>
    public static long LiveTensors => torch.Tensor.TotalCount - ModuleParameters.Created;

    /// <summary>libtorch's build configuration (compiler, BLAS/MKL, OpenMP, CUDA), as <c>torch.__config__.show()</c>.</summary>
    public static unsafe string BuildConfig => LibTorchText.Call(&LibTorchText.ShowConfig);

    /// <summary>libtorch's parallelism facts (ATen/OpenMP/MKL threads), as <c>torch.__config__.parallel_info()</c>.</summary>
    public static unsafe string ParallelInfo => LibTorchText.Call(&LibTorchText.GetParallelInfo);

    /// <summary>
    /// TorchSharp does not expose <c>at::show_config()</c> and <c>at::get_parallel_info()</c>; they are exported by
    /// libtorch_cpu as C++ functions returning <c>std::string</c> (Itanium ABI, libstdc++'s 32-byte string returned
    /// through a hidden pointer). Read only on Linux x64, for <c>kto env</c>; elsewhere the text says so.
    /// </summary>
    private static class LibTorchText
    {
        [DllImport("torch_cpu", EntryPoint = "_ZN2at11show_configB5cxx11Ev")]
        internal static extern unsafe void ShowConfig(byte* result);

        [DllImport("torch_cpu", EntryPoint = "_ZN2at17get_parallel_infoB5cxx11Ev")]
        internal static extern unsafe void GetParallelInfo(byte* result);

        internal static unsafe string Call(delegate*<byte*, void> function)
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                return "not available on this platform";
            }

            _ = torch.__version__; // loads libtorch through TorchSharp first
            try
            {
                var std = stackalloc byte[32];
                function(std);
                var data = *(byte**)std;
                var length = *(long*)(std + 8);
                // The text is read, not freed: a few KiB, once per process, for a diagnostic command.
                return Marshal.PtrToStringUTF8((nint)data, (int)length);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return $"not available ({e.Message})";
            }
        }
    }
}
