using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto;

public sealed partial class KtoTransformer
{
    /// <summary>
    /// Adds a generated completion column (<see cref="KtoTransformOptions.OutputColumnName"/>) to each row, completing
    /// its prompt column (text, or a list of chat messages); prompts are generated in left-padded batches. The rows
    /// are copied, not modified.
    /// </summary>
    public IReadOnlyList<JsonObject> Transform(IEnumerable<JsonObject> rows, KtoTransformOptions? options = null)
    {
        options ??= new KtoTransformOptions();
        options.Validate();
        var list = rows.ToList();
        var completions = Complete(list.Select((row, i) => PromptOf(row, options.PromptColumnName, i + 1)).ToList(), options);
        return list.Select((row, i) =>
        {
            var copy = (JsonObject)row.DeepClone();
            copy[options.OutputColumnName] = completions[i];
            return copy;
        }).ToList();
    }

    /// <summary>
    /// Completes typed rows: the prompt comes from <typeparamref name="TIn"/>'s prompt property, the completion goes
    /// to <typeparamref name="TOut"/>'s output property, and properties both classes share are copied through.
    /// </summary>
    public IReadOnlyList<TOut> Transform<TIn, TOut>(IEnumerable<TIn> rows, KtoTransformOptions? options = null) where TOut : new()
    {
        options ??= new KtoTransformOptions();
        options.Validate();
        var mapping = new RowMapping<TIn, TOut>(options);
        var list = rows.ToList();
        var completions = Complete(list.Select((row, i) => mapping.PromptOf(row, i + 1)).ToList(), options);
        return list.Select((row, i) => mapping.Output(row, completions[i])).ToList();
    }

    /// <summary>An engine for one row at a time with typed input and output (see <see cref="KtoColumnAttribute"/> for the mapping).</summary>
    public KtoPredictionEngine<TIn, TOut> CreatePredictionEngine<TIn, TOut>(KtoTransformOptions? options = null) where TOut : new() =>
        new(this, options ?? new KtoTransformOptions());

    /// <summary>Completions generated so far through <see cref="Complete"/> (tests check that transforms are lazy).</summary>
    internal long CompletionsGenerated { get; private set; }

    internal IReadOnlyList<string> Complete(IReadOnlyList<KtoContent> prompts, KtoTransformOptions options)
    {
        CompletionsGenerated += prompts.Count;
        var generation = options.Generation ?? DefaultGenerationOptions;
        var completions = new List<string>(prompts.Count);
        foreach (var chunk in prompts.Chunk(options.BatchSize))
            completions.AddRange(Generate(chunk.Select(p => p.IsConversational ? p : TextPrompt(p.Text!, options.ApplyChatTemplateToText)).ToList(), generation));
        return completions;
    }

    private static KtoContent PromptOf(JsonObject row, string column, int rowNumber) => row[column] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => KtoContent.FromText(text),
        JsonArray messages => KtoContent.FromMessages(messages),
        null => throw new KtoDataException($"Row {rowNumber} has no '{column}' column. Add it, or set KtoTransformOptions.PromptColumnName to the column holding the prompts."),
        var other => throw new KtoDataException($"Row {rowNumber}: column '{column}' is {other.GetValueKind()}; a prompt must be a string or a list of chat messages."),
    };
}
