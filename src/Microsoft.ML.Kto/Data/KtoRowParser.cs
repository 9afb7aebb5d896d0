namespace Microsoft.ML.Kto.Data;

/// <summary>
/// Turns input rows into <see cref="KtoRow"/>s: detects the layout from the first row, keeps one content kind for the
/// whole dataset, extracts implicit prompts and unpairs paired rows.
/// </summary>
internal sealed class KtoRowParser(KtoColumnNames names)
{
    private KtoDataLayout? _layout;
    private HashSet<string> _usedColumns = [];
    private KtoContentKind? _datasetKind;
    private int _datasetKindRow;
    private int _sourceRowCount;
    private int _implicitPromptRowCount;
    private readonly List<KtoRow> _unpairedRows = [];
    private readonly List<(KtoRow Desirable, KtoRow Undesirable)> _pairs = [];

    /// <summary>What was detected; null before the first row.</summary>
    public KtoDataFormat? Format =>
        _layout is { } detected && _datasetKind is { } kind
            ? new KtoDataFormat(detected, kind, _sourceRowCount, _implicitPromptRowCount)
            : null;

    /// <summary>The rows parsed so far, paired ones unpaired in <see cref="PreferenceUnpairing.Order"/>.</summary>
    public List<KtoRow> Rows() => _layout == KtoDataLayout.Paired ? PreferenceUnpairing.Order(_pairs) : _unpairedRows;

    /// <summary>Parses one input row: it becomes one (unpaired) or two (paired) rows.</summary>
    public void Parse(SourceRowReader row)
    {
        if (_layout is null)
        {
            _layout = KtoLayoutDetector.Detect(row, names);
            _usedColumns = _layout == KtoDataLayout.Unpaired
                ? [names.Prompt, names.Completion, names.Label, names.Tools, names.ChatTemplateKwargs]
                : [names.Prompt, names.Chosen, names.Rejected, names.Tools, names.ChatTemplateKwargs];
        }

        if (_layout == KtoDataLayout.Unpaired)
        {
            _unpairedRows.Add(ParseUnpaired(row));
        }
        else
        {
            _pairs.Add(ParsePaired(row));
        }

        _sourceRowCount++;
    }

    private KtoRow ParseUnpaired(SourceRowReader row)
    {
        var prompt = row.ReadContent(names.Prompt, nameof(KtoColumnNames.Prompt));
        var completion = ReadCompletion(row, names.Completion, nameof(KtoColumnNames.Completion));
        RequireSameKind(row, names.Prompt, prompt, names.Completion, completion);
        RequireDatasetKind(row, names.Completion, completion);
        var label = row.ReadLabel(names.Label);
        return ReadAttachments(row).ToRow(prompt, completion, label);
    }

    private (KtoRow Desirable, KtoRow Undesirable) ParsePaired(SourceRowReader row)
    {
        var chosen = ReadCompletion(row, names.Chosen, nameof(KtoColumnNames.Chosen));
        var rejected = ReadCompletion(row, names.Rejected, nameof(KtoColumnNames.Rejected));
        RequireSameKind(row, names.Rejected, rejected, names.Chosen, chosen);
        RequireDatasetKind(row, names.Chosen, chosen);

        // Some datasets carry a text 'prompt' next to chosen/rejected conversations that already contain it; as in
        // TRL's maybe_extract_prompt, a prompt of the other kind is ignored and the prompt is extracted instead.
        var prompt = row.HasValue(names.Prompt) ? row.ReadContent(names.Prompt, nameof(KtoColumnNames.Prompt)) : null;
        if (prompt is null || prompt.Kind != chosen.Kind)
        {
            RequireNonEmpty(row, names.Chosen, chosen);
            RequireNonEmpty(row, names.Rejected, rejected);
            (prompt, chosen, rejected) = ImplicitPrompt.Extract(chosen, rejected);
            _implicitPromptRowCount++;
        }

        return PreferenceUnpairing.Unpair(prompt, chosen, rejected, ReadAttachments(row));
    }

    private static KtoContent ReadCompletion(SourceRowReader row, string column, string option)
    {
        var completion = row.ReadContent(column, option);
        if (completion.IsConversational && completion.IsEmpty)
        {
            throw row.Error(column, "is an empty list of messages", "A conversational completion needs at least one message.");
        }

        return completion;
    }

    private void RequireDatasetKind(SourceRowReader row, string column, KtoContent completion)
    {
        if (_datasetKind is null)
        {
            _datasetKind = completion.Kind;
            _datasetKindRow = row.RowNumber;
        }
        else if (completion.Kind != _datasetKind)
        {
            throw row.Error(
                column,
                $"is {Describe(completion.Kind)}, but in {row.Location.Describe(_datasetKindRow)} it is {Describe(_datasetKind.Value)}",
                "Use one format for the whole dataset: all plain text or all message lists.");
        }
    }

    private RowAttachments ReadAttachments(SourceRowReader row) =>
        new(row.RowNumber, row.ReadTools(names.Tools), row.ReadChatTemplateKwargs(names.ChatTemplateKwargs), row.CopyOtherColumns(_usedColumns));

    private static void RequireSameKind(SourceRowReader row, string column, KtoContent content, string otherColumn, KtoContent other)
    {
        if (content.Kind != other.Kind)
        {
            throw row.Error(
                column,
                $"is {Describe(content.Kind)} but column '{otherColumn}' is {Describe(other.Kind)}",
                $"'{column}' and '{otherColumn}' must both be plain text or both be message lists.");
        }
    }

    private void RequireNonEmpty(SourceRowReader row, string column, KtoContent content)
    {
        if (content.IsEmpty)
        {
            throw row.Error(
                column,
                "is empty, so no prompt can be taken from the shared beginning of chosen and rejected",
                $"Fix the value or give the row a '{names.Prompt}'.");
        }
    }

    private static string Describe(KtoContentKind kind) =>
        kind == KtoContentKind.Text ? "plain text (standard format)" : "a list of messages (conversational format)";
}
