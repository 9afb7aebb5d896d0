namespace Microsoft.ML.Kto.Data;

/// <summary>
/// Input data that KTO cannot use. The message names where (row or line, column), what was found and how to fix it.
/// </summary>
/// <remarks>Derives from <see cref="Exception"/> because <see cref="InvalidDataException"/> is sealed.</remarks>
public sealed class KtoDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KtoDataException(string message, int? sourceRow = null, string? column = null, Exception? innerException = null)
        : base(message, innerException)
    {
        SourceRow = sourceRow;
        Column = column;
    }

    /// <summary>The 1-based row (or JSONL line) at fault, when one is.</summary>
    public int? SourceRow { get; }

    /// <summary>The column at fault, when one is.</summary>
    public string? Column { get; }
}
