using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>What one training run used and produced: the inputs of its report and model card.</summary>
public sealed record KtoRunRecord
{
    /// <summary>The model training started from (a directory or a name).</summary>
    public required string BaseModel { get; init; }

    /// <summary>The options of the run.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Options { get; init; }

    /// <summary>Where the training data came from, or null when it was in memory.</summary>
    public string? DatasetName { get; init; }

    /// <summary>Desirable and undesirable training rows.</summary>
    public ClassBalance? Balance { get; init; }

    /// <summary>Every logged line (train and eval), each with its <c>step</c>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> LogHistory { get; init; } = [];

    /// <summary>Completions of the same prompts before and after training.</summary>
    public IReadOnlyList<ReportSample> Samples { get; init; } = [];

    /// <summary>Extra headline results (for example a task's success rate), shown first in the report.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Results { get; init; } = [];
}
