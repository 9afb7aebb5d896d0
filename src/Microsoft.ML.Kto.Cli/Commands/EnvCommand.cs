using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.Kto.Models;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto env</c>: versions and runtime facts worth pasting into a bug report (like <c>trl env</c>).</summary>
internal static class EnvCommand
{
    public static CliCommand Create()
    {
        var command = new CliCommand("env", "Prints versions of the project, .NET, TorchSharp and libtorch, libtorch's build (BLAS/MKL, OpenMP), threads and CUDA devices.");
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            Console.WriteLine($"- Microsoft.ML.Kto version: {typeof(KtoOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"}");
            Console.WriteLine($"- .NET version: {RuntimeInformation.FrameworkDescription}");
            Console.WriteLine($"- Platform: {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
            Console.WriteLine($"- TorchSharp version: {TorchRuntime.TorchSharpVersion}");
            Console.WriteLine($"- libtorch version: {TorchRuntime.LibTorchVersion}");
            Console.WriteLine($"- Threads: {TorchRuntime.NumThreads} (physical cores: {TorchRuntime.PhysicalCores}, logical processors: {Environment.ProcessorCount})");
            var cuda = TorchRuntime.CudaDeviceCount;
            Console.WriteLine($"- CUDA devices: {(cuda > 0 ? cuda.ToString() : "none (CPU runtime or no GPU; -p:KtoTorchRuntime=cuda selects the CUDA runtime)")}");
            Console.WriteLine($"- THP_MEM_ALLOC_ENABLE: {NativeEnvironment.Get(NativeEnvironment.TransparentHugePages) ?? "unset"}");
            Console.WriteLine("- libtorch build (torch.__config__.show()):");
            WriteIndented(TorchRuntime.BuildConfig);
            Console.WriteLine("- libtorch parallelism (torch.__config__.parallel_info()):");
            WriteIndented(TorchRuntime.ParallelInfo);
            return 0;
        }));
        return command;
    }

    private static void WriteIndented(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Console.WriteLine("    " + line.TrimEnd());
        }
    }
}
