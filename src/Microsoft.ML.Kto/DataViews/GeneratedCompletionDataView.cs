using Microsoft.ML.Data;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// The lazy output of <see cref="KtoTransformer.Transform(IDataView)"/>: the input's columns plus the generated
/// completion. Nothing is generated until a cursor that has the completion column active moves; then a second cursor
/// over the input reads the next <see cref="KtoTransformOptions.BatchSize"/> prompts ahead and they are generated as one
/// left-padded batch (one prefill), so at most one batch beyond the rows read is ever generated.
/// </summary>
internal sealed class GeneratedCompletionDataView(KtoTransformer model, IDataView input, KtoTransformOptions options, DataViewSchema schema) : IDataView
{
    private KtoTransformer Model { get; } = model;
    private IDataView Input { get; } = input;
    private KtoTransformOptions Options { get; } = options;

    public DataViewSchema Schema => schema;

    // Batches are generated in row order, so the view is read sequentially.
    public bool CanShuffle => false;

    public long? GetRowCount() => Input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var output = schema[Options.OutputColumnName];
        var needed = columnsNeeded.ToList();
        var generating = needed.Any(c => c.Index == output.Index);
        var inputColumns = needed.Where(c => c.Index != output.Index).Select(c => Input.Schema[c.Index]).ToList();
        return new Cursor(this, Input.GetRowCursor(inputColumns), generating);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(GeneratedCompletionDataView view, DataViewRowCursor rows, bool generating) : DataViewRowCursor
    {
        private readonly Queue<string> _completions = new();
        private DataViewRowCursor? _ahead;
        private ValueGetter<ReadOnlyMemory<char>>? _aheadPrompt;
        private string _current = "";

        public override DataViewSchema Schema => view.Schema;
        public override long Position => rows.Position;
        public override long Batch => rows.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => rows.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == OutputIndex ? generating : rows.IsColumnActive(view.Input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != OutputIndex)
            {
                return rows.GetGetter<TValue>(view.Input.Schema[column.Index]);
            }

            if (!generating)
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; ask for it when creating the cursor.");
            }

            ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) => value = _current.AsMemory();
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is text (ReadOnlyMemory<char>), not {typeof(TValue).Name}.");
        }

        private int OutputIndex => view.Schema[view.Options.OutputColumnName].Index;

        public override bool MoveNext()
        {
            if (!rows.MoveNext())
            {
                return false;
            }

            if (!generating)
            {
                return true;
            }

            if (_completions.Count == 0)
            {
                GenerateNextBatch();
            }

            _current = _completions.Dequeue();
            return true;
        }

        private void GenerateNextBatch()
        {
            if (_ahead is null)
            {
                var prompt = view.Input.Schema[view.Options.PromptColumnName];
                _ahead = view.Input.GetRowCursor([prompt]);
                _aheadPrompt = _ahead.GetGetter<ReadOnlyMemory<char>>(prompt);
            }
            var prompts = new List<KtoContent>(view.Options.BatchSize);
            ReadOnlyMemory<char> text = default;
            while (prompts.Count < view.Options.BatchSize && _ahead.MoveNext())
            {
                _aheadPrompt!(ref text);
                prompts.Add(ChatText.ToContent(text.ToString()));
            }
            foreach (var completion in view.Model.Complete(prompts, view.Options))
            {
                _completions.Enqueue(completion);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rows.Dispose();
                _ahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
