namespace Microsoft.ML.Kto.Models;

/// <summary>A model directory, config or checkpoint that this library cannot use as it is; the message says why and what to do.</summary>
public sealed class ModelFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ModelFormatException(string message) : base(message) { }
}
