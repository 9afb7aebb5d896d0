namespace Microsoft.ML.Kto.Reporting;

/// <summary>What a model card records about a fine-tuned model; rendered by <see cref="ModelCard"/>.</summary>
public sealed record ModelCardContent
{
    /// <summary>The model's name, used in the front matter and heading (e.g. "Qwen2-0.5B-KTO").</summary>
    public required string ModelName { get; init; }

    /// <summary>
    /// Where the quick-start snippets load the model from; null uses <see cref="ModelName"/>, as TRL's cards use the
    /// hub id. Prefer a relative path: the card travels with the directory.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>The prompt shown in the quick-start snippets (a prompt from the training data reads best); null uses TRL's question.</summary>
    public string? ExamplePrompt { get; init; }

    /// <summary>The model fine-tuned from (hub id or path), or null when unknown; omitted from the front matter then.</summary>
    public string? BaseModel { get; init; }

    /// <summary>The training dataset's name or path, or null when unknown.</summary>
    public string? DatasetName { get; init; }

    /// <summary>Training rows after preparation, or null when unknown.</summary>
    public int? TrainRows { get; init; }

    /// <summary>Rows labelled desirable, or null when unknown.</summary>
    public int? DesirableRows { get; init; }

    /// <summary>Rows labelled undesirable, or null when unknown.</summary>
    public int? UndesirableRows { get; init; }

    /// <summary>Training hyperparameters in display order, already formatted by the caller.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Hyperparameters { get; init; } = [];

    /// <summary>Final logged metrics in display order (e.g. "loss", "eval_rewards/margins").</summary>
    public IReadOnlyList<KeyValuePair<string, double>> FinalMetrics { get; init; } = [];

    /// <summary>Library and runtime versions in display order (e.g. ("Microsoft.ML.Kto", "0.1.0"), (".NET", "10.0.0")).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> FrameworkVersions { get; init; } = [];
}
