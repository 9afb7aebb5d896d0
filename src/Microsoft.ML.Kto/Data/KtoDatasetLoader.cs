using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>
/// Loads KTO training or evaluation data: unpaired (prompt, completion, label) or paired (prompt?, chosen, rejected),
/// plain text or chat messages, from a JSONL file or from memory.
/// </summary>
/// <remarks>
/// Mirrors TRL's data preparation before tokenization: the implicit prompt of paired rows is extracted
/// (<see cref="ImplicitPrompt"/>), paired rows are unpaired (chosen: desirable, rejected: undesirable, next to each
/// other), optional <c>tools</c> (a string is parsed as JSON) and <c>chat_template_kwargs</c> are kept per row, and all
/// other columns are copied through. Every problem is reported as a <see cref="KtoDataException"/> that names the row.
/// </remarks>
public static class KtoDatasetLoader
{
    /// <summary>Loads a JSON Lines file (one object per line, as Hugging Face datasets' <c>to_json</c> writes).</summary>
    /// <exception cref="KtoDataException">The data is malformed, incomplete or empty.</exception>
    public static KtoDataset LoadJsonl(string path, KtoColumnNames? columns = null)
    {
        var records = JsonlReader.ReadObjects(path).Select(record => (record.Value, record.LineNumber));
        return Load(records, RowLocation.InFile(path), columns ?? KtoColumnNames.Default);
    }

    /// <summary>Loads rows given as JSON objects, numbered from 1 in messages.</summary>
    /// <exception cref="KtoDataException">The data is malformed, incomplete or empty.</exception>
    public static KtoDataset Load(IEnumerable<JsonObject> rows, KtoColumnNames? columns = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Load(rows.Select((row, index) => (row, index + 1)), RowLocation.InMemory, columns ?? KtoColumnNames.Default);
    }

    /// <summary>Loads unpaired plain-text examples.</summary>
    /// <exception cref="KtoDataException">An example has a null field, or there are none.</exception>
    public static KtoDataset Load(IEnumerable<KtoExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var names = KtoColumnNames.Default;
        return Load(examples.Select(example => new JsonObject
        {
            [names.Prompt] = example.Prompt,
            [names.Completion] = example.Completion,
            [names.Label] = example.Label,
        }));
    }

    /// <summary>Loads paired plain-text examples; a null prompt is taken from the shared beginning of chosen and rejected.</summary>
    /// <exception cref="KtoDataException">An example has a null completion, or there are none.</exception>
    public static KtoDataset Load(IEnumerable<PreferenceExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var names = KtoColumnNames.Default;
        return Load(examples.Select(example => new JsonObject
        {
            [names.Prompt] = example.Prompt,
            [names.Chosen] = example.Chosen,
            [names.Rejected] = example.Rejected,
        }));
    }

    private static KtoDataset Load(IEnumerable<(JsonObject Row, int Number)> source, RowLocation location, KtoColumnNames names)
    {
        var parser = new KtoRowParser(names);
        foreach (var (row, number) in source)
        {
            parser.Parse(new SourceRowReader(row, number, location));
        }

        var format = parser.Format ?? throw new KtoDataException(
            $"{location.DescribeSource()} has no rows. KTO needs at least one example (blank JSONL lines are skipped).");
        return new KtoDataset(parser.Rows().AsReadOnly(), format, location.FilePath);
    }
}
