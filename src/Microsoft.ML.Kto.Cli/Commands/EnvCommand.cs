using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Cli.Commands;

/// <summary><c>kto env</c>: versions and runtime facts worth pasting into a bug report (like <c>trl env</c>).</summary>
internal static class EnvCommand
{
    public static Command Create()
    {
        var command = new Command("env", "Prints versions of the project, .NET, libtorch, BLAS, threads and CUDA availability.");
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            using (Microsoft.ML.Kto.Torch.DisposeScope.Open()) Tensor.Ones([2, 2]).Matmul(Tensor.Ones([2, 2])); // maps the BLAS library
            Console.WriteLine($"- Microsoft.ML.Kto version: {typeof(KtoOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"}");
            Console.WriteLine($"- .NET version: {RuntimeInformation.FrameworkDescription}");
            Console.WriteLine($"- Platform: {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
            Console.WriteLine($"- libtorch version: {TorchRuntime.LibTorchVersion}");
            Console.WriteLine($"- BLAS: {TorchRuntime.LoadedBlasLibrary}");
            Console.WriteLine($"- Threads: {TorchRuntime.NumThreads} (physical cores: {TorchRuntime.PhysicalCores}, logical processors: {Environment.ProcessorCount})");
            Console.WriteLine($"- CUDA available: {(Device.CudaIsAvailable ? $"yes ({TorchRuntime.CudaDeviceCount} device(s))" : "no")}");
            return 0;
        }));
        return command;
    }
}
