using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>
/// Reads typed KTO fields from one input row, turning every problem into a <see cref="KtoDataException"/> that names
/// the row, the column, what was found and the fix.
/// </summary>
/// <remarks>Option names in fixes refer to <see cref="KtoColumnNames"/> properties, e.g. <c>nameof(KtoColumnNames.Label)</c>.</remarks>
internal sealed class SourceRowReader(JsonObject row, int rowNumber, RowLocation location)
{
    public int RowNumber { get; } = rowNumber;

    public RowLocation Location { get; } = location;

    public bool HasValue(string column) => row[column] is not null;

    public bool HasColumn(string column) => row.ContainsKey(column);

    public IEnumerable<string> ColumnNames => row.Select(property => property.Key);

    /// <summary>Plain text from a string, or messages from an array of message objects.</summary>
    public KtoContent ReadContent(string column, string option)
    {
        var node = ReadRequired(column, option);
        if (node is JsonArray messages)
        {
            var problem = ChatMessageRules.FindProblem(messages);
            if (problem is not null)
            {
                throw Error(
                    column,
                    $"is not a list of chat messages: {problem}",
                    "Each message needs a string 'role' (and usually 'content'). " + FixOrMap(option));
            }

            return KtoContent.FromMessages(messages.DeepClone().AsArray());
        }

        if (node.GetValueKind() == JsonValueKind.String)
        {
            return KtoContent.FromText(node.GetValue<string>());
        }

        throw Error(
            column,
            $"must be a string (standard format) or a list of messages (conversational format); found {JsonText.Preview(node)}",
            FixOrMap(option));
    }

    /// <summary>A JSON boolean, the numbers 0/1, or the strings "true"/"false" in any case.</summary>
    public bool ReadLabel(string column)
    {
        var node = ReadRequired(column, nameof(KtoColumnNames.Label));
        switch (node.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            // Parsed from the JSON text: a JsonValue built from a C# int refuses TryGetValue<double>.
            case JsonValueKind.Number
                when double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                     && number is 0 or 1:
                return number == 1;
            case JsonValueKind.String when bool.TryParse(node.GetValue<string>(), out var flag):
                return flag;
            default:
                throw Error(
                    column,
                    $"must be true/false (or 0/1); found {JsonText.Preview(node)}",
                    FixOrMap(nameof(KtoColumnNames.Label)));
        }
    }

    /// <summary>Tool schemas: an array of objects, or a string holding one (TRL parses it with <c>json.loads</c>). Null when absent.</summary>
    public JsonArray? ReadTools(string column)
    {
        var node = ReadOptionalJson(column, nameof(KtoColumnNames.Tools), "a JSON array of tool schemas");
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray tools)
        {
            throw Error(
                column,
                $"must be a JSON array of tool schemas (or a string holding one); found {JsonText.Preview(node)}",
                FixOrMap(nameof(KtoColumnNames.Tools)));
        }

        var index = tools.ToList().FindIndex(tool => tool is not JsonObject);
        if (index >= 0)
        {
            throw Error(
                column,
                $"item {index + 1} must be a JSON object (a tool schema); found {JsonText.Preview(tools[index])}",
                FixOrMap(nameof(KtoColumnNames.Tools)));
        }

        return tools;
    }

    /// <summary>An object of chat template arguments, or a string holding one. Null when absent.</summary>
    public JsonObject? ReadChatTemplateKwargs(string column)
    {
        var node = ReadOptionalJson(column, nameof(KtoColumnNames.ChatTemplateKwargs), "a JSON object");
        return node is null or JsonObject
            ? (JsonObject?)node
            : throw Error(
                column,
                $"must be a JSON object of chat template arguments (or a string holding one); found {JsonText.Preview(node)}",
                FixOrMap(nameof(KtoColumnNames.ChatTemplateKwargs)));
    }

    /// <summary>Copies of every column not in <paramref name="usedColumns"/>, in input order.</summary>
    public Dictionary<string, JsonNode?> CopyOtherColumns(IReadOnlySet<string> usedColumns) =>
        row.Where(property => !usedColumns.Contains(property.Key))
            .ToDictionary(property => property.Key, property => property.Value?.DeepClone());

    public KtoDataException Error(string column, string problem, string fix, Exception? innerException = null) =>
        new($"{Location.Describe(RowNumber)}: column '{column}' {problem}. {fix}", RowNumber, column, innerException);

    private JsonNode ReadRequired(string column, string option)
    {
        if (!row.TryGetPropertyValue(column, out var node))
        {
            throw Error(
                column,
                $"is missing; the row has columns {DescribeColumns()}",
                $"Add the column or map another one with KtoColumnNames.{option}.");
        }

        return node ?? throw Error(column, "is null", $"Give every row a value or map another column with KtoColumnNames.{option}.");
    }

    // Detached copy (callers keep it beyond the input row's lifetime); a string is parsed as JSON.
    private JsonNode? ReadOptionalJson(string column, string option, string expected)
    {
        var node = row[column];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            return node.DeepClone();
        }

        try
        {
            return JsonNode.Parse(node.GetValue<string>());
        }
        catch (JsonException e)
        {
            throw Error(
                column,
                $"is a string but not {expected} in JSON ({e.Message}); found {JsonText.Preview(node)}",
                FixOrMap(option),
                e);
        }
    }

    private static string FixOrMap(string option) => $"Fix the value or map another column with KtoColumnNames.{option}.";

    private string DescribeColumns() =>
        row.Count == 0 ? "(none)" : string.Join(", ", row.Select(property => $"'{property.Key}'"));
}
