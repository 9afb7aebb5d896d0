using System.Runtime.InteropServices;

namespace Microsoft.ML.Kto.Torch.Tests;

/// <summary>
/// Bytes the C heap has handed out (glibc mallinfo2: in-use small blocks + mmapped large blocks). libtorch's CPU
/// allocator draws tensor storage from malloc, so a leaked tensor shows here, while the runtime's JIT code and
/// the managed heap (which move RSS in a test host) do not.
/// </summary>
internal static partial class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2 Query();

    public static long InUseBytes()
    {
        var info = Query();
        return (long)(info.Uordblks + info.Hblkhd);
    }
}
