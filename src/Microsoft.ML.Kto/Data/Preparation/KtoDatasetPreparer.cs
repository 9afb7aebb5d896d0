namespace Microsoft.ML.Kto.Data.Preparation;

/// <summary>A row as token ids: the prompt with its generation prompt, and the completion after it (TRL's tokenized dataset).</summary>
/// <param name="PromptIds">TRL's <c>prompt_input_ids</c>.</param>
/// <param name="CompletionIds">TRL's <c>completion_input_ids</c>: the ids of prompt+completion after the prompt's length.</param>
/// <param name="Label">True for desirable.</param>
/// <param name="SourceRow">Row of the input it came from (1-based), for messages.</param>
/// <param name="PromptIsPrefix">Whether the prompt's ids are a prefix of prompt+completion's (they are not when the tokenizer merges across the boundary).</param>
public sealed record TokenizedRow(int[] PromptIds, int[] CompletionIds, bool Label, int SourceRow, bool PromptIsPrefix = true);

/// <summary>
/// Tokenizes rows and applies TRL's length rules: rows whose prompt alone has at least <c>maxLength</c> tokens are
/// dropped (no completion token would survive); the rest are truncated from the right to <c>maxLength</c>.
/// </summary>
public sealed class KtoDatasetPreparer(PromptCompletionEncoder encoder, int? maxLength)
{
    /// <summary>Tokenizes one row as TRL's <c>_tokenize</c> does (chat template, generation prompt, tools and template variables).</summary>
    public static TokenizedRow Tokenize(PromptCompletionEncoder encoder, KtoRow row)
    {
        var prompt = encoder.EncodePrompt(row.Prompt, row.Tools, row.ChatTemplateKwargs);
        var full = encoder.EncodePromptAndCompletion(row.Prompt, row.Completion, row.Tools, row.ChatTemplateKwargs);
        return new TokenizedRow(prompt, full.Length > prompt.Length ? full[prompt.Length..] : [], row.Label, row.SourceRow, full.AsSpan().StartsWith(prompt));
    }

    /// <summary>Prepares every row, in order.</summary>
    public (List<PreparedExample> Examples, PreparationReport Report) Prepare(IReadOnlyList<KtoRow> rows, IProgress<int>? progress = null) =>
        Prepare(rows.Select(row => Tokenize(encoder, row)), maxLength, progress);

    /// <summary>Applies the length rules to rows that are already token ids, in order.</summary>
    public static (List<PreparedExample> Examples, PreparationReport Report) Prepare(IEnumerable<TokenizedRow> rows, int? maxLength, IProgress<int>? progress = null)
    {
        var examples = new List<PreparedExample>();
        int count = 0, dropped = 0, truncated = 0, notPrefix = 0;
        foreach (var row in rows)
        {
            count++;
            if (!row.PromptIsPrefix)
            {
                notPrefix++;
            }

            var prompt = row.PromptIds;
            if (maxLength is { } max && prompt.Length >= max)
            {
                dropped++;
                continue;
            }
            var completion = row.CompletionIds;
            if (maxLength is { } limit && prompt.Length + completion.Length > limit)
            {
                completion = completion[..(limit - prompt.Length)];
                truncated++;
            }
            if (completion.Length == 0)
            {
                throw new KtoDataException($"Row {row.SourceRow}: the completion tokenizes to nothing after the prompt. Check the row's completion text.", row.SourceRow, null);
            }

            examples.Add(new PreparedExample(prompt, completion, row.Label, row.SourceRow));
            progress?.Report(count);
        }
        return (examples, new PreparationReport(count, examples.Count, dropped, truncated, notPrefix));
    }
}
