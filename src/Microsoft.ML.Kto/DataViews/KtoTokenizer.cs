using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// Chat template and tokenization as an ML.NET transform (<c>ml.TextGeneration.Transforms.Tokenize(modelDirectory)</c>):
/// unpaired prompt/completion text (or JSON text of message lists) with optional tools and template variables becomes
/// TRL's <c>prompt_input_ids</c> and <c>completion_input_ids</c> (variable-length Int32 vectors), exactly the ids
/// training uses, so they can be inspected (<c>Preview()</c>, <c>CreateEnumerable</c>) or handed to the KTO estimator,
/// which then skips its own tokenization. Length limits (MaxLength) are applied by the estimator, as in TRL.
/// </summary>
public sealed class KtoTokenizingEstimator : IEstimator<KtoTokenizingTransformer>
{
    private readonly string _modelDirectory;
    private readonly KtoColumnNames _columns;

    internal KtoTokenizingEstimator(string modelDirectory, KtoColumnNames? columns)
    {
        _modelDirectory = modelDirectory;
        _columns = columns ?? KtoColumnNames.Default;
    }

    /// <summary>Loads the tokenizer and chat template of the model directory.</summary>
    public KtoTokenizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new KtoTokenizingTransformer(new PromptCompletionEncoder(HfTokenizer.FromDirectory(_modelDirectory)), _columns);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>The input columns plus the two id columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        foreach (var name in new[] { _columns.Prompt, _columns.Completion })
        {
            if (!inputSchema.Any(c => c.Name == name && c.ItemType == TextDataViewType.Instance && c.Kind == SchemaShape.Column.VectorKind.Scalar))
            {
                throw new ArgumentException($"The data has no string column '{name}' to tokenize. Add it, or rename the column the data has with KtoColumnNames.");
            }
        }
        // SchemaShape.Column has no public constructor; a custom mapping adds the id columns' shapes.
        return new MLContext().Transforms.CustomMapping<NoColumns, IdColumns>((_, _) => { }, contractName: null).GetOutputSchema(inputSchema);
    }

    /// <summary>No input columns (the shape of the id columns only).</summary>
    public sealed class NoColumns;

    /// <summary>The shape of the id columns.</summary>
    public sealed class IdColumns
    {
        /// <summary>Prompt ids.</summary>
        [ColumnName(KtoTokenizedColumns.PromptInputIds)] public int[] PromptInputIds { get; set; } = [];
        /// <summary>Completion ids.</summary>
        [ColumnName(KtoTokenizedColumns.CompletionInputIds)] public int[] CompletionInputIds { get; set; } = [];
    }
}

/// <summary>The fitted tokenization transform (row to row; see <see cref="KtoTokenizingEstimator"/>).</summary>
public sealed class KtoTokenizingTransformer : ITransformer
{
    private readonly PromptCompletionEncoder _encoder;
    private readonly KtoColumnNames _columns;

    internal KtoTokenizingTransformer(PromptCompletionEncoder encoder, KtoColumnNames columns)
    {
        _encoder = encoder;
        _columns = columns;
    }

    /// <summary>True: rows are tokenized one at a time.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus <c>prompt_input_ids</c> and <c>completion_input_ids</c>.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        KtoSchema.ForTraining(inputSchema, _columns);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        var ids = new VectorDataViewType(NumberDataViewType.Int32);
        builder.AddColumn(KtoTokenizedColumns.PromptInputIds, ids);
        builder.AddColumn(KtoTokenizedColumns.CompletionInputIds, ids);
        return builder.ToSchema();
    }

    /// <summary>Adds the id columns, lazily (rows are tokenized as a cursor reads them).</summary>
    public IDataView Transform(IDataView input) => new RowMappedDataView(input, GetRowToRowMapper(input.Schema));

    /// <summary>The row-to-row mapper behind <see cref="Transform"/>.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema, GetOutputSchema(inputSchema));

    /// <summary>Not saved into ML.NET zips: re-create it with <c>ml.TextGeneration.Transforms.Tokenize(modelDirectory)</c>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("The KTO tokenization transform is not saved into ML.NET model zips; re-create it with ml.TextGeneration.Transforms.Tokenize(modelDirectory).");

    private sealed class Mapper(KtoTokenizingTransformer owner, DataViewSchema inputSchema, DataViewSchema outputSchema) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inputSchema;
        public DataViewSchema OutputSchema => outputSchema;
        private KtoTokenizingTransformer Owner { get; } = owner;
        private int First => inputSchema.Count;

        private IEnumerable<string> Sources =>
            new[] { Owner._columns.Prompt, Owner._columns.Completion, Owner._columns.Tools, Owner._columns.ChatTemplateKwargs }
                .Where(c => inputSchema.GetColumnOrNull(c) is not null);

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var list = dependingColumns.ToList();
            var needed = list.Where(c => c.Index < First).Select(c => inputSchema[c.Index]).ToList();
            if (list.Any(c => c.Index >= First))
            {
                needed.AddRange(Sources.Select(c => inputSchema[c]));
            }

            return needed.Distinct();
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

        private sealed class Row(Mapper mapper, DataViewRow input, HashSet<int> active) : DataViewRow
        {
            private long _tokenizedAt = -1;
            private TokenizedRow? _ids;

            public override DataViewSchema Schema => mapper.OutputSchema;
            public override long Position => input.Position;
            public override long Batch => input.Batch;
            public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
            public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                if (column.Index < mapper.First)
                {
                    return input.GetGetter<TValue>(mapper.InputSchema[column.Index]);
                }

                var prompt = column.Index == mapper.First;
                ValueGetter<VBuffer<int>> getter = (ref VBuffer<int> value) =>
                {
                    var ids = Tokenized();
                    var values = prompt ? ids.PromptIds : ids.CompletionIds;
                    value = new VBuffer<int>(values.Length, values);
                };
                return getter as ValueGetter<TValue>
                    ?? throw new InvalidOperationException($"Column '{column.Name}' is a vector of Int32 (VBuffer<int>), not {typeof(TValue).Name}.");
            }

            // Both id columns come from one tokenization per row.
            private TokenizedRow Tokenized()
            {
                if (_ids is not null && _tokenizedAt == input.Position)
                {
                    return _ids;
                }

                var names = mapper.Owner._columns;
                string Text(string column)
                {
                    ReadOnlyMemory<char> value = default;
                    input.GetGetter<ReadOnlyMemory<char>>(mapper.InputSchema[column])(ref value);
                    return value.ToString();
                }
                JsonNode? Json(string column) =>
                    mapper.InputSchema.GetColumnOrNull(column) is null || Text(column) is not { Length: > 0 } text ? null : JsonNode.Parse(text);
                var row = new KtoRow(ChatText.ToContent(Text(names.Prompt)), ChatText.ToContent(Text(names.Completion)), label: true, sourceRow: (int)input.Position + 1,
                    tools: Json(names.Tools) as JsonArray, chatTemplateKwargs: Json(names.ChatTemplateKwargs) as JsonObject);
                _ids = KtoDatasetPreparer.Tokenize(mapper.Owner._encoder, row);
                _tokenizedAt = input.Position;
                return _ids;
            }
        }
    }
}
