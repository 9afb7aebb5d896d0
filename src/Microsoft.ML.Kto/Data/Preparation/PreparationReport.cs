namespace Microsoft.ML.Kto.Data.Preparation;

/// <summary>What preparation did to the rows.</summary>
/// <param name="InputRows">Rows in (after unpairing).</param>
/// <param name="KeptRows">Rows out.</param>
/// <param name="DroppedPromptTooLong">Rows dropped because the prompt alone reached the maximum length.</param>
/// <param name="TruncatedRows">Rows whose completion was cut to fit the maximum length.</param>
/// <param name="PromptNotPrefixRows">Rows whose prompt ids were not a prefix of the prompt+completion ids.</param>
public sealed record PreparationReport(int InputRows, int KeptRows, int DroppedPromptTooLong, int TruncatedRows, int PromptNotPrefixRows)
{
    /// <summary>Human-readable warnings (empty when nothing is worth a warning).</summary>
    public IEnumerable<string> Warnings()
    {
        if (DroppedPromptTooLong > 0)
        {
            yield return $"{DroppedPromptTooLong} of {InputRows} rows were dropped because their prompt alone reaches MaxLength; raise MaxLength or shorten those prompts.";
        }

        if (PromptNotPrefixRows > 0)
        {
            yield return $"{PromptNotPrefixRows} rows: the tokenized prompt is not a prefix of the tokenized prompt+completion (the tokenizer merges across the boundary, or the chat template renders the prompt differently); their completion ids start after the prompt's length, as in TRL.";
        }
    }
}
