using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// JSON rows as an <see cref="IDataView"/>, one column per key in order of first appearance: a column whose values
/// are all JSON booleans is Boolean, all numbers Double, anything else text (strings as they are; lists and objects,
/// such as chat messages and tools, as JSON text, the form the KTO estimator reads). A missing or null value is
/// empty text, false or NaN.
/// </summary>
internal sealed class JsonRowsDataView : IDataView
{
    private readonly IReadOnlyList<JsonObject> _rows;

    public JsonRowsDataView(IReadOnlyList<JsonObject> rows)
    {
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        foreach (var name in rows.SelectMany(r => r.Select(p => p.Key)).Distinct())
        {
            var kinds = rows.Select(r => r[name]?.GetValueKind()).OfType<JsonValueKind>().Distinct().ToList();
            DataViewType type = kinds.Count > 0 && kinds.All(k => k is JsonValueKind.True or JsonValueKind.False) ? BooleanDataViewType.Instance
                : kinds.Count > 0 && kinds.All(k => k == JsonValueKind.Number) ? NumberDataViewType.Double
                : TextDataViewType.Instance;
            builder.AddColumn(name, type);
        }
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _rows.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(JsonRowsDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private int _position = -1;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => _position;
        public override long Batch => 0;
        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override bool MoveNext() => ++_position < view._rows.Count;

        private JsonNode? Current(DataViewSchema.Column column) => view._rows[_position][column.Name];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Type switch
            {
                BooleanDataViewType => (ValueGetter<bool>)((ref bool value) => value = Current(column)?.GetValue<bool>() ?? false),
                NumberDataViewType => (ValueGetter<double>)((ref double value) => value = Current(column)?.GetValue<double>() ?? double.NaN),
                _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Text(Current(column)).AsMemory()),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private static string Text(JsonNode? node) => node switch
        {
            null => "",
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => node.ToJsonString(),
        };
    }
}
