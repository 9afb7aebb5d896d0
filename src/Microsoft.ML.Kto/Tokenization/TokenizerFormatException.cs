namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// Thrown when tokenizer files are missing, malformed, or use a component this implementation does not support.
/// The message always names the file and, where it applies, the JSON path of the offending value.
/// </summary>
public sealed class TokenizerFormatException : FormatException
{
    /// <summary>Creates the exception for a file, the JSON path of the offending value (or null) and the problem.</summary>
    public TokenizerFormatException(string fileName, string? jsonPath, string message, Exception? innerException = null)
        : base(jsonPath is null ? $"{fileName}: {message}" : $"{fileName}: {jsonPath}: {message}", innerException)
    {
        FileName = fileName;
        JsonPath = jsonPath;
    }

    /// <summary>The tokenizer file the problem was found in, e.g. <c>tokenizer.json</c>.</summary>
    public string FileName { get; }

    /// <summary>JSON path of the offending value (e.g. <c>$.pre_tokenizer.pretokenizers[1]</c>), null for whole-file problems.</summary>
    public string? JsonPath { get; }
}
