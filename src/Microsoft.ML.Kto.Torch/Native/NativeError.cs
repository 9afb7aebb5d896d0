using System.Runtime.InteropServices;

namespace Microsoft.ML.Kto.Torch.Native;

/// <summary>Turns the shim's failure convention (zero handle or zero status plus a thread-local message) into exceptions.</summary>
internal static class NativeError
{
    internal static nint CheckHandle(nint handle)
    {
        if (handle == 0) throw TakeException();
        return handle;
    }

    internal static void CheckStatus(int status)
    {
        if (status == 0) throw TakeException();
    }

    internal static string? TakeString(nint text)
    {
        if (text == 0) return null;
        try { return Marshal.PtrToStringUTF8(text); }
        finally { NativeMethods.kt_free_string(text); }
    }

    private static TorchException TakeException() =>
        new(TakeString(NativeMethods.kt_take_error()) ?? "libtorch call failed without a message");
}
