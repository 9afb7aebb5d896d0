using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// Streams the rows of a training <see cref="IDataView"/> through one cursor as the JSON rows the KTO row parser reads,
/// so IDataView input gets exactly the validation, unpairing and implicit-prompt extraction of JSONL input. Text that
/// holds a JSON list of chat messages becomes a conversation; tools and template variables are parsed from JSON text.
/// </summary>
internal static class DataViewRows
{
    public static IEnumerable<JsonObject> Read(IDataView data, KtoSchema.TrainingColumns columns)
    {
        var schema = data.Schema;
        var active = columns.Text.Select(c => schema[c.Name]).Concat(columns.Json.Select(c => schema[c]))
            .Concat(columns.Label is { } l ? [schema[l]] : []).ToList();
        using var cursor = data.GetRowCursor(active);
        var text = columns.Text.Select(c => (c.Name, Getter: cursor.GetGetter<ReadOnlyMemory<char>>(schema[c.Name]))).ToList();
        var json = columns.Json.Select(c => (Name: c, Getter: cursor.GetGetter<ReadOnlyMemory<char>>(schema[c]))).ToList();
        var label = columns.Label is { } labelColumn ? LabelGetter(cursor, schema[labelColumn]) : null;
        var row = 0;
        while (cursor.MoveNext())
        {
            row++;
            var record = new JsonObject();
            foreach (var (name, getter) in text)
            {
                record[name] = ChatText.Parse(Read(getter));
            }

            foreach (var (name, getter) in json)
            {
                var value = Read(getter);
                if (value.Length > 0)
                {
                    record[name] = ParseJson(value, name, row);
                }
            }
            if (label is not null)
            {
                record[columns.Label!] = label(row);
            }

            yield return record;
        }
    }

    /// <summary>Rows already tokenized (prompt and completion ids), with their labels.</summary>
    public static IEnumerable<Data.Preparation.TokenizedRow> ReadTokenized(IDataView data, string labelColumn)
    {
        var schema = data.Schema;
        DataViewSchema.Column prompt = schema[KtoTokenizedColumns.PromptInputIds], completion = schema[KtoTokenizedColumns.CompletionInputIds], label = schema[labelColumn];
        using var cursor = data.GetRowCursor([prompt, completion, label]);
        var promptIds = cursor.GetGetter<VBuffer<int>>(prompt);
        var completionIds = cursor.GetGetter<VBuffer<int>>(completion);
        var labels = LabelGetter(cursor, label);
        VBuffer<int> buffer = default;
        int[] Ids(ValueGetter<VBuffer<int>> getter)
        {
            getter(ref buffer);
            return buffer.DenseValues().ToArray();
        }
        var row = 0;
        while (cursor.MoveNext())
        {
            row++;
            yield return new Data.Preparation.TokenizedRow(Ids(promptIds), Ids(completionIds), labels(row).GetValue<bool>(), row);
        }
    }

    private static string Read(ValueGetter<ReadOnlyMemory<char>> getter)
    {
        ReadOnlyMemory<char> value = default;
        getter(ref value);
        return value.ToString();
    }

    private static JsonNode? ParseJson(string value, string column, int row)
    {
        try { return JsonNode.Parse(value); }
        catch (JsonException e) { throw new KtoDataException($"Row {row}: column '{column}' is not valid JSON text ({e.Message}).", row); }
    }

    private static Func<int, JsonNode> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type == BooleanDataViewType.Instance)
        {
            var getter = cursor.GetGetter<bool>(column);
            return _ =>
            {
                var value = false;
                getter(ref value);
                return JsonValue.Create(value);
            };
        }
        var number = NumberGetter(cursor, column);
        return row =>
        {
            var value = number();
            return value is 0 or 1 ? JsonValue.Create(value == 1)
                : throw new KtoDataException($"Row {row}: label column '{column.Name}' holds {value.ToString(CultureInfo.InvariantCulture)}; a numeric label must be 0 or 1.", row);
        };
    }

    private static Func<double> NumberGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        Func<double> Of<T>(Func<T, double> convert)
        {
            var getter = cursor.GetGetter<T>(column);
            return () =>
            {
                T value = default!;
                getter(ref value);
                return convert(value);
            };
        }
        return column.Type.RawType switch
        {
            var t when t == typeof(float) => Of<float>(v => v),
            var t when t == typeof(double) => Of<double>(v => v),
            var t when t == typeof(int) => Of<int>(v => v),
            var t when t == typeof(long) => Of<long>(v => v),
            var t when t == typeof(uint) => Of<uint>(v => v),
            var t when t == typeof(ulong) => Of<ulong>(v => v),
            var t when t == typeof(short) => Of<short>(v => v),
            var t when t == typeof(ushort) => Of<ushort>(v => v),
            var t when t == typeof(byte) => Of<byte>(v => v),
            var t when t == typeof(sbyte) => Of<sbyte>(v => v),
            _ => throw new ArgumentException($"Column '{column.Name}' is {column.Type}; a label must be Boolean or a number holding 0/1."),
        };
    }
}
