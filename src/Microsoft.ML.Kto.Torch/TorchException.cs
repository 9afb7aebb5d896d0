namespace Microsoft.ML.Kto.Torch;

/// <summary>An error reported by libtorch (wrong shapes, dtypes, indices, ...), carrying libtorch's own message.</summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message) : base(message) { }
}
