namespace Microsoft.ML.Kto.Data;

/// <summary>Loaded, validated and unpaired KTO rows with what was detected about the input.</summary>
public sealed class KtoDataset
{
    internal KtoDataset(IReadOnlyList<KtoRow> rows, KtoDataFormat format, string? sourcePath = null)
    {
        SourcePath = sourcePath;
        Rows = rows;
        Format = format;
        Balance = ClassBalance.Count(rows);
    }

    /// <summary>The rows in training order (paired input interleaves chosen and rejected rows).</summary>
    public IReadOnlyList<KtoRow> Rows { get; }

    /// <summary>The detected layout and content kind.</summary>
    public KtoDataFormat Format { get; }

    /// <summary>The JSONL file the rows were read from, or null for in-memory data.</summary>
    public string? SourcePath { get; }

    /// <summary>How many rows are desirable and undesirable.</summary>
    public ClassBalance Balance { get; }
}
