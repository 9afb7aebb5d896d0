namespace Microsoft.ML.Kto.Data;

/// <summary>Names rows in messages the way the user can find them: a line of a file, or a position in memory.</summary>
internal sealed class RowLocation
{
    private readonly string? _filePath;

    private RowLocation(string? filePath) => _filePath = filePath;

    /// <summary>The file the rows come from, or null for in-memory rows.</summary>
    public string? FilePath => _filePath;

    /// <summary>Rows of an in-memory sequence, numbered from 1.</summary>
    public static RowLocation InMemory { get; } = new(null);

    /// <summary>Lines of a file, numbered from 1.</summary>
    public static RowLocation InFile(string path) => new(path);

    /// <summary>"Row 17" or "Line 17 of 'train.jsonl'".</summary>
    public string Describe(int row) => _filePath is null ? $"Row {row}" : $"Line {row} of '{_filePath}'";

    /// <summary>"The input" or "'train.jsonl'".</summary>
    public string DescribeSource() => _filePath is null ? "The input" : $"'{_filePath}'";
}
