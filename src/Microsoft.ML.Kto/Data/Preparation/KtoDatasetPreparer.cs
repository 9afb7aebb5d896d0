namespace Microsoft.ML.Kto.Data.Preparation;

/// <summary>
/// Tokenizes rows and applies TRL's length rules: rows whose prompt alone has at least <c>maxLength</c> tokens are
/// dropped (no completion token would survive); the rest are truncated from the right to <c>maxLength</c>.
/// </summary>
public sealed class KtoDatasetPreparer(PromptCompletionEncoder encoder, int? maxLength)
{
    /// <summary>Prepares every row, in order.</summary>
    public (List<PreparedExample> Examples, PreparationReport Report) Prepare(IReadOnlyList<KtoRow> rows, IProgress<int>? progress = null)
    {
        var examples = new List<PreparedExample>(rows.Count);
        int dropped = 0, truncated = 0, notPrefix = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var prompt = encoder.EncodePrompt(row.Prompt, row.Tools, row.ChatTemplateKwargs);
            var full = encoder.EncodePromptAndCompletion(row.Prompt, row.Completion, row.Tools, row.ChatTemplateKwargs);
            if (!full.AsSpan().StartsWith(prompt)) notPrefix++;
            if (maxLength is { } max && prompt.Length >= max)
            {
                dropped++;
                continue;
            }
            var completion = full.Length > prompt.Length ? full[prompt.Length..] : [];
            if (maxLength is { } limit && prompt.Length + completion.Length > limit)
            {
                completion = completion[..(limit - prompt.Length)];
                truncated++;
            }
            if (completion.Length == 0)
                throw new KtoDataException($"Row {row.SourceRow}: the completion tokenizes to nothing after the prompt. Check the row's completion text.", row.SourceRow, null);
            examples.Add(new PreparedExample(prompt, completion, row.Label, row.SourceRow));
            progress?.Report(i + 1);
        }
        return (examples, new PreparationReport(rows.Count, examples.Count, dropped, truncated, notPrefix));
    }
}
