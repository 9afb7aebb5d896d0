namespace Microsoft.ML.Kto.Cli.Bench;

/// <summary>
/// Resident memory and open files of this process from /proc (what the kernel counts: managed, native and libtorch alike).
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in MiB, as Python's ru_maxrss reports it.</summary>
    public static double PeakRssMb() => StatusKilobytes("VmHWM:") / 1024.0;

    /// <summary>Current resident set size (VmRSS) in MiB.</summary>
    public static double RssMb() => StatusKilobytes("VmRSS:") / 1024.0;

    /// <summary>Open file descriptors; growth over a soak run would be a leaked file handle.</summary>
    public static int OpenFileDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    private static long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new PlatformNotSupportedException($"/proc/self/status has no {field} line; peak memory is only measured on Linux.");
    }
}
