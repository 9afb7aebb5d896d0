namespace Microsoft.ML.Kto.DataViews;

/// <summary>The token-id columns of TRL's tokenized KTO dataset, as the tokenization transform writes them.</summary>
public static class KtoTokenizedColumns
{
    /// <summary>The prompt, chat template and generation prompt applied, as token ids.</summary>
    public const string PromptInputIds = "prompt_input_ids";

    /// <summary>The completion's token ids: those of prompt+completion after the prompt's length.</summary>
    public const string CompletionInputIds = "completion_input_ids";
}
