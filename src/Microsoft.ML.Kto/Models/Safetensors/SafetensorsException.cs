namespace Microsoft.ML.Kto.Models.Safetensors;

/// <summary>A safetensors file that is malformed, truncated or does not hold what was asked for.</summary>
public sealed class SafetensorsException : FormatException
{
    /// <summary>Creates the exception; the message names the file and the problem.</summary>
    public SafetensorsException(string message) : base(message) { }
}
