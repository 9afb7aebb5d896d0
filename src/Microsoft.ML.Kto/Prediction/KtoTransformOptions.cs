using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto.Prediction;

/// <summary>How <see cref="KtoTransformer.Transform(IDataView)"/> and ML.NET's PredictionEngine over a <see cref="KtoTransformer"/> generate.</summary>
public sealed record KtoTransformOptions
{
    /// <summary>Column holding the prompt: text, or the JSON text of a list of chat messages. TRL's name: <c>prompt</c>.</summary>
    public string PromptColumnName { get; init; } = "prompt";

    /// <summary>Column the generated completion is written to (a new column, so a training row's own <c>completion</c> is kept).</summary>
    public string OutputColumnName { get; init; } = "generated_completion";

    /// <summary>Prompts generated together in one left-padded batch.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Decoding settings; null uses the model's <c>generation_config.json</c>.</summary>
    public GenerationOptions? Generation { get; init; }

    /// <summary>
    /// Whether a text prompt is sent as one user message through the chat template (when the tokenizer has one), as
    /// <see cref="KtoTransformer.Generate(string, GenerationOptions?, bool)"/> does. Off means text prompts are tokenized
    /// as they are, which is how KTO trained on text (non-conversational) prompts.
    /// </summary>
    public bool ApplyChatTemplateToText { get; init; } = true;

    internal void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentException($"BatchSize must be at least 1 (got {BatchSize}).");
        }

        if (string.IsNullOrEmpty(PromptColumnName))
        {
            throw new ArgumentException("PromptColumnName must not be empty.");
        }

        if (string.IsNullOrEmpty(OutputColumnName))
        {
            throw new ArgumentException("OutputColumnName must not be empty.");
        }

        Generation?.Validate();
    }
}
