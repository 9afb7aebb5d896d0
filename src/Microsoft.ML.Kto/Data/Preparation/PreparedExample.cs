namespace Microsoft.ML.Kto.Data.Preparation;

/// <summary>One tokenized KTO example (immutable host data; tensors are made per batch in Training/).</summary>
/// <param name="PromptIds">Prompt token ids.</param>
/// <param name="CompletionIds">Completion token ids (after truncation to the maximum length).</param>
/// <param name="Label">True for desirable.</param>
/// <param name="SourceRow">Row of the input it came from (1-based), for messages.</param>
public sealed record PreparedExample(int[] PromptIds, int[] CompletionIds, bool Label, int SourceRow)
{
    /// <summary>The completion of this row's KL partner (see <see cref="KlCompletions"/>), once assigned.</summary>
    public int[]? KlCompletionIds { get; init; }
}
