namespace Microsoft.ML.Kto.Reporting;

/// <summary>Everything a training report shows; rendered by <see cref="TrainingReport"/>.</summary>
public sealed record TrainingReportContent
{
    /// <summary>The page heading and browser title.</summary>
    public required string Title { get; init; }

    /// <summary>Headline facts in display order, e.g. ("base model", "Qwen/Qwen2-0.5B"), ("success rate before", "0.42").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Summary { get; init; } = [];

    /// <summary>The training options in display order, shown as a table so a run can be reproduced.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>
    /// The logged lines in order. Each holds a <c>step</c> key and metric names such as <c>loss</c>,
    /// <c>rewards/chosen</c> or <c>eval_loss</c>; train and eval lines are separate entries and a metric appears only
    /// in the lines that logged it. Every key except <c>step</c> and <c>epoch</c> is plotted in exactly one chart.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> LogHistory { get; init; } = [];

    /// <summary>Completions before and after training, in display order.</summary>
    public IReadOnlyList<ReportSample> Samples { get; init; } = [];
}
