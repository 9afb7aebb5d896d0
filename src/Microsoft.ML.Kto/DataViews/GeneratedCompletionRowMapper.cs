using Microsoft.ML.Data;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// One row at a time, for ML.NET's <c>PredictionEngine</c> (which asks every transformer of a chain for an
/// <see cref="IRowToRowMapper"/>): the input row's columns plus the completion generated from its prompt, generated
/// when the completion is first read and kept for that row.
/// </summary>
internal sealed class GeneratedCompletionRowMapper(KtoTransformer model, DataViewSchema inputSchema, KtoTransformOptions options, DataViewSchema outputSchema)
    : IRowToRowMapper
{
    private KtoTransformer Model { get; } = model;
    private KtoTransformOptions Options { get; } = options;

    public DataViewSchema InputSchema => inputSchema;
    public DataViewSchema OutputSchema => outputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var output = outputSchema[Options.OutputColumnName].Index;
        var needed = dependingColumns.Where(c => c.Index != output).Select(c => inputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index == output))
        {
            needed.Add(inputSchema[Options.PromptColumnName]);
        }

        return needed.Distinct();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row(GeneratedCompletionRowMapper mapper, DataViewRow input, HashSet<int> active) : DataViewRow
    {
        private long _generatedFor = -1;
        private string _completion = "";

        public override DataViewSchema Schema => mapper.OutputSchema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        private int OutputIndex => mapper.OutputSchema[mapper.Options.OutputColumnName].Index;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != OutputIndex)
            {
                return input.GetGetter<TValue>(mapper.InputSchema[column.Index]);
            }

            var prompt = input.GetGetter<ReadOnlyMemory<char>>(mapper.InputSchema[mapper.Options.PromptColumnName]);
            ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) =>
            {
                if (_generatedFor != input.Position || input.Position < 0)
                {
                    ReadOnlyMemory<char> text = default;
                    prompt(ref text);
                    _completion = mapper.Model.Complete([ChatText.ToContent(text.ToString())], mapper.Options)[0];
                    _generatedFor = input.Position;
                }
                value = _completion.AsMemory();
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is text (ReadOnlyMemory<char>), not {typeof(TValue).Name}.");
        }
    }
}
