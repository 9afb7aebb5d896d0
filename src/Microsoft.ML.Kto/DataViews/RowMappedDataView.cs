using Microsoft.ML.Data;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>An input view seen through a row-to-row mapper: the lazy <c>Transform</c> output of a row-by-row transformer.</summary>
internal sealed class RowMappedDataView(IDataView input, IRowToRowMapper mapper) : IDataView
{
    public DataViewSchema Schema => mapper.OutputSchema;

    public bool CanShuffle => input.CanShuffle;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inputCursor = input.GetRowCursor(mapper.GetDependencies(needed), rand);
        return new Cursor(inputCursor, mapper.GetRow(inputCursor, needed));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor input, DataViewRow mapped) : DataViewRowCursor
    {
        public override DataViewSchema Schema => mapped.Schema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => mapped.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => mapped.GetGetter<TValue>(column);
        public override bool MoveNext() => input.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                mapped.Dispose();
                input.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
