using Microsoft.ML.Data;
using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// What the KTO estimator and transformer accept of an <see cref="IDataView"/>: text columns are <c>string</c>
/// (conversational prompts and completions, tools and template variables as JSON text, since IDataView has no nested
/// types), the label is <c>bool</c> or a number holding 0/1. Errors name the column, the type found, the type expected
/// and the option that renames the column.
/// </summary>
internal static class KtoSchema
{
    /// <summary>Which columns a training view uses, by its layout.</summary>
    public sealed record TrainingColumns(KtoDataLayout Layout, IReadOnlyList<(string Name, string Option)> Text, string? Label, IReadOnlyList<string> Json);

    /// <summary>Validates a training schema and returns the columns to read.</summary>
    public static TrainingColumns ForTraining(DataViewSchema schema, KtoColumnNames names)
    {
        bool Has(string column) => schema.GetColumnOrNull(column) is not null;
        var paired = Has(names.Chosen) || Has(names.Rejected);
        var unpaired = Has(names.Completion) || Has(names.Label);
        if (paired && unpaired)
        {
            throw new ArgumentException(
                $"The data has both paired columns ('{names.Chosen}'/'{names.Rejected}') and unpaired columns ('{names.Completion}'/'{names.Label}'). " +
                "Keep one set, or point KtoOptions.ColumnNames at the columns to use.");
        }

        if (!paired && !unpaired)
        {
            throw new ArgumentException(
                $"The data has columns {Describe(schema)}, but KTO needs unpaired columns '{names.Prompt}', '{names.Completion}', '{names.Label}' " +
                $"or paired columns '{names.Chosen}', '{names.Rejected}' (and optionally '{names.Prompt}'). Rename them (e.g. ml.Transforms.CopyColumns) " +
                "or map them with KtoOptions.ColumnNames (Prompt, Completion, Label, Chosen, Rejected).");
        }

        var text = new List<(string, string)>();
        void RequireText(string column, string option, bool optional = false)
        {
            if (optional && !Has(column))
            {
                return;
            }

            RequireType(schema, column, option, TextDataViewType.Instance, "string (text, or JSON text of chat messages)");
            text.Add((column, option));
        }
        string? label = null;
        if (paired)
        {
            RequireText(names.Prompt, nameof(KtoColumnNames.Prompt), optional: true);
            RequireText(names.Chosen, nameof(KtoColumnNames.Chosen));
            RequireText(names.Rejected, nameof(KtoColumnNames.Rejected));
        }
        else
        {
            RequireText(names.Prompt, nameof(KtoColumnNames.Prompt));
            RequireText(names.Completion, nameof(KtoColumnNames.Completion));
            var column = Require(schema, names.Label, nameof(KtoColumnNames.Label), "Boolean (or a number holding 0/1)");
            if (column.Type != BooleanDataViewType.Instance && column.Type is not NumberDataViewType)
            {
                throw TypeError(names.Label, nameof(KtoColumnNames.Label), column.Type, "Boolean (or a number holding 0/1)");
            }

            label = names.Label;
        }
        var json = new List<string>();
        foreach (var (column, option) in new[] { (names.Tools, nameof(KtoColumnNames.Tools)), (names.ChatTemplateKwargs, nameof(KtoColumnNames.ChatTemplateKwargs)) })
        {
            if (!Has(column))
            {
                continue;
            }

            RequireType(schema, column, option, TextDataViewType.Instance, "string (JSON text)");
            json.Add(column);
        }
        return new TrainingColumns(paired ? KtoDataLayout.Paired : KtoDataLayout.Unpaired, text, label, json);
    }

    /// <summary>
    /// The label column when the data is already tokenized (<see cref="KtoTokenizedColumns"/> present, as the
    /// tokenization transform writes them), else null. Checks the id columns' and the label's types.
    /// </summary>
    public static string? TokenizedLabel(DataViewSchema schema, KtoColumnNames names)
    {
        if (schema.GetColumnOrNull(KtoTokenizedColumns.PromptInputIds) is null && schema.GetColumnOrNull(KtoTokenizedColumns.CompletionInputIds) is null)
        {
            return null;
        }

        foreach (var column in new[] { KtoTokenizedColumns.PromptInputIds, KtoTokenizedColumns.CompletionInputIds })
        {
            var found = Require(schema, column, nameof(KtoColumnNames.Prompt), "variable-length Int32 vector (token ids)");
            if (found.Type is not VectorDataViewType { ItemType: var item, IsKnownSize: false } || item != NumberDataViewType.Int32)
            {
                throw new ArgumentException($"Column '{column}' is {found.Type}, but must be a variable-length Int32 vector of token ids (what ml.TextGeneration.Transforms.Tokenize writes).");
            }
        }
        var label = Require(schema, names.Label, nameof(KtoColumnNames.Label), "Boolean (or a number holding 0/1)");
        if (label.Type != BooleanDataViewType.Instance && label.Type is not NumberDataViewType)
        {
            throw TypeError(names.Label, nameof(KtoColumnNames.Label), label.Type, "Boolean (or a number holding 0/1)");
        }

        return names.Label;
    }

    /// <summary>Validates the prompt column a transformer generates from.</summary>
    public static DataViewSchema.Column ForPrompts(DataViewSchema schema, string promptColumn) =>
        RequireType(schema, promptColumn, nameof(Prediction.KtoTransformOptions.PromptColumnName), TextDataViewType.Instance,
            "string (text, or JSON text of chat messages)");

    private static DataViewSchema.Column RequireType(DataViewSchema schema, string column, string option, DataViewType expected, string expectedText)
    {
        var found = Require(schema, column, option, expectedText);
        if (!found.Type.Equals(expected))
        {
            throw TypeError(column, option, found.Type, expectedText);
        }

        return found;
    }

    private static DataViewSchema.Column Require(DataViewSchema schema, string column, string option, string expectedText) =>
        schema.GetColumnOrNull(column) is { IsHidden: false } found ? found
            : throw new ArgumentException(
                $"The data has no column '{column}' (a {expectedText} column is needed; it has {Describe(schema)}). " +
                $"Add it, or rename the column the data has with {OptionPath(option)}.");

    private static ArgumentException TypeError(string column, string option, DataViewType found, string expectedText) =>
        new($"Column '{column}' is {found}, but must be {expectedText}. Convert it (e.g. ml.Transforms.Conversion.ConvertType) or point {OptionPath(option)} at another column.");

    private static string OptionPath(string option) =>
        option == nameof(Prediction.KtoTransformOptions.PromptColumnName) ? "KtoTransformOptions.PromptColumnName" : $"KtoOptions.ColumnNames.{option}";

    private static string Describe(DataViewSchema schema)
    {
        var columns = schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})").ToList();
        return columns.Count == 0 ? "no columns" : string.Join(", ", columns);
    }
}
