using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// Paired preference data (prompt, chosen, rejected) as unpaired KTO rows (prompt, completion, label), as an ML.NET
/// transform (<c>ml.TextGeneration.Transforms.UnpairPreferences()</c>): each pair gives a desirable and an undesirable row,
/// a missing prompt is extracted as the longest common prefix of the two conversations (TRL's implicit prompt), and the
/// rows come in the same order as when the estimator unpairs paired data itself (see <c>PreferenceUnpairing</c>). Not a
/// row-to-row mapping (twice the rows), so it has no row mapper; the output is read lazily in two passes over the input.
/// </summary>
public sealed class KtoUnpairingEstimator : IEstimator<KtoUnpairingTransformer>
{
    private readonly KtoColumnNames _columns;

    internal KtoUnpairingEstimator(KtoColumnNames? columns) => _columns = columns ?? KtoColumnNames.Default;

    /// <summary>Checks the paired columns; nothing is learned.</summary>
    public KtoUnpairingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new KtoUnpairingTransformer(_columns);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>The unpaired columns: prompt and completion text, the label.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        foreach (var name in new[] { _columns.Chosen, _columns.Rejected })
        {
            if (!inputSchema.Any(c => c.Name == name && c.ItemType == TextDataViewType.Instance))
            {
                throw new ArgumentException($"The data has no string column '{name}' to unpair. Add it, or rename the column the data has with KtoColumnNames.");
            }
        }
        // SchemaShape.Column has no public constructor; a custom mapping from no columns gives the unpaired shape.
        return new MLContext().Transforms.CustomMapping<KtoTokenizingEstimator.NoColumns, UnpairedColumns>((_, _) => { }, contractName: null)
            .GetOutputSchema(new SchemaShape([]));
    }

    /// <summary>The shape of the unpaired columns (TRL's default names).</summary>
    public sealed class UnpairedColumns
    {
        /// <summary>The prompt.</summary>
        [ColumnName("prompt")] public string Prompt { get; set; } = "";
        /// <summary>The completion.</summary>
        [ColumnName("completion")] public string Completion { get; set; } = "";
        /// <summary>Desirable or not.</summary>
        [ColumnName("label")] public bool Label { get; set; }
    }
}

/// <summary>The fitted unpairing transform (see <see cref="KtoUnpairingEstimator"/>).</summary>
public sealed class KtoUnpairingTransformer : ITransformer
{
    private readonly KtoColumnNames _columns;

    internal KtoUnpairingTransformer(KtoColumnNames columns) => _columns = columns;

    /// <summary>False: one input row becomes two output rows.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Prompt and completion (text; conversations as JSON text), the label, and tools / template variables when present.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var columns = KtoSchema.ForTraining(inputSchema, _columns);
        if (columns.Layout != KtoDataLayout.Paired)
        {
            throw new ArgumentException($"The data is not paired: it has no '{_columns.Chosen}'/'{_columns.Rejected}' columns. Unpaired data needs no unpairing.");
        }

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(_columns.Prompt, TextDataViewType.Instance);
        builder.AddColumn(_columns.Completion, TextDataViewType.Instance);
        builder.AddColumn(_columns.Label, BooleanDataViewType.Instance);
        foreach (var json in columns.Json)
        {
            builder.AddColumn(json, TextDataViewType.Instance);
        }

        return builder.ToSchema();
    }

    /// <summary>The unpaired rows, read lazily.</summary>
    public IDataView Transform(IDataView input) => new UnpairedDataView(input, _columns, KtoSchema.ForTraining(input.Schema, _columns), GetOutputSchema(input.Schema));

    /// <summary>Not available: unpairing is not row to row.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException("Unpairing turns one row into two, so it cannot map rows one to one; use Transform.");

    /// <summary>Not saved into ML.NET zips: it is used for training data, not for predictions.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("The unpairing transform is for training data and is not saved into ML.NET model zips; leave it out of the chain you save.");

    private sealed class UnpairedDataView(IDataView input, KtoColumnNames names, KtoSchema.TrainingColumns columns, DataViewSchema schema) : IDataView
    {
        private IDataView Input { get; } = input;
        private KtoColumnNames Names { get; } = names;
        private KtoSchema.TrainingColumns Columns { get; } = columns;

        public DataViewSchema Schema => schema;
        public bool CanShuffle => false;
        public long? GetRowCount() => Input.GetRowCount() * 2;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

        // Two passes over the input: pair i gives its desirable row in the first pass when i is even, else in the
        // second, so labels alternate through the data (the order PreferenceUnpairing gives the estimator's own rows).
        private sealed class Cursor(UnpairedDataView view) : DataViewRowCursor
        {
            private IEnumerator<JsonObject>? _rows;
            private int _pass;
            private int _pair = -1;
            private long _position = -1;
            private KtoRow? _current;

            public override DataViewSchema Schema => view.Schema;
            public override long Position => _position;
            public override long Batch => 0;
            public override bool IsColumnActive(DataViewSchema.Column column) => true;
            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

            public override bool MoveNext()
            {
                while (true)
                {
                    _rows ??= DataViewRows.Read(view.Input, view.Columns).GetEnumerator();
                    if (_rows.MoveNext())
                    {
                        _pair++;
                        var parser = new KtoRowParser(view.Names);
                        parser.Parse(new SourceRowReader(_rows.Current, _pair + 1, RowLocation.InMemory));
                        var (desirable, undesirable) = (parser.Rows()[0], parser.Rows()[1]);
                        _current = (_pair % 2 == 0) == (_pass == 0) ? desirable : undesirable;
                        _position++;
                        return true;
                    }
                    _rows.Dispose();
                    _rows = null;
                    if (++_pass == 2)
                    {
                        return false;
                    }

                    _pair = -1;
                }
            }

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                var names = view.Names;
                Delegate getter = column.Name == names.Label
                    ? (ValueGetter<bool>)((ref bool value) => value = _current!.Label)
                    : (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Text(column.Name).AsMemory());
                return getter as ValueGetter<TValue>
                    ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
            }

            private string Text(string column)
            {
                var names = view.Names;
                if (column == names.Prompt)
                {
                    return _current!.Prompt.ToString();
                }

                if (column == names.Completion)
                {
                    return _current!.Completion.ToString();
                }

                if (column == names.Tools)
                {
                    return _current!.Tools?.ToJsonString() ?? "";
                }

                return _current!.ChatTemplateKwargs?.ToJsonString() ?? "";
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _rows?.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
