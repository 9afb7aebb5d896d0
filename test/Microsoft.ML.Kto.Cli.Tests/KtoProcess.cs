using System.Diagnostics;

namespace Microsoft.ML.Kto.Cli.Tests;

/// <summary>Runs the built kto tool (kto.dll beside the tests) as a real process, so exit codes and streams are what users see.</summary>
internal static class KtoProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string stdin, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kto.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(true); Assert.Fail("kto did not finish in 120 s"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
