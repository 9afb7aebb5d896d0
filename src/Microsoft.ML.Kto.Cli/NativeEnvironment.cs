using System.Runtime.InteropServices;

namespace Microsoft.ML.Kto.Cli;

/// <summary>
/// The C environment that native code reads with <c>getenv</c>. On Linux, .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only the managed copy, so settings meant
/// for libtorch go through libc's <c>setenv</c>; they must be made before libtorch reads them (before the first tensor).
/// </summary>
internal static class NativeEnvironment
{
    /// <summary>
    /// libtorch's CPU allocator backs allocations of 2 MiB and more with transparent huge pages when this is 1. Training
    /// steps allocate the same large activations again and again; without huge pages every one is a fresh mmap whose
    /// pages the kernel faults in and zeroes each step (measured: about 2x slower steps at the bench's default shape).
    /// </summary>
    public const string TransparentHugePages = "THP_MEM_ALLOC_ENABLE";

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern nint GetEnv(string name);

    /// <summary>The native value, or null when unset (or not on Linux).</summary>
    public static string? Get(string name) => OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(GetEnv(name)) : Environment.GetEnvironmentVariable(name);

    /// <summary>Sets <paramref name="name"/> for native code unless the user already set it (their choice wins).</summary>
    public static void SetDefault(string name, string value)
    {
        if (!OperatingSystem.IsLinux() || Get(name) is not null)
        {
            return;
        }

        if (SetEnv(name, value, 0) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }
}
