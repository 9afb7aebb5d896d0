using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>
/// Streams JSON Lines files as written by Hugging Face <c>datasets</c>' <c>to_json</c>: one JSON object per line.
/// </summary>
public static class JsonlReader
{
    // A repeated key would otherwise keep one of the values silently.
    private static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false };

    /// <summary>Reads the objects of a file lazily, one line at a time. Blank lines are skipped.</summary>
    /// <exception cref="KtoDataException">A line is not valid JSON or not an object; the message names the file and line.</exception>
    public static IEnumerable<JsonlRecord> ReadObjects(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadLines(path);
    }

    private static IEnumerable<JsonlRecord> ReadLines(string path)
    {
        var location = RowLocation.InFile(path);
        using var reader = File.OpenText(path);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return new JsonlRecord(lineNumber, ParseObject(line, lineNumber, location));
            }
        }
    }

    private static JsonObject ParseObject(string line, int lineNumber, RowLocation location)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line, documentOptions: StrictDocument);
        }
        catch (JsonException e)
        {
            throw new KtoDataException(
                $"{location.Describe(lineNumber)} is not valid JSON: {DescribeJsonError(e)}. " +
                "Each line must hold exactly one JSON object (JSON Lines).",
                lineNumber,
                innerException: e);
        }

        return node as JsonObject ?? throw new KtoDataException(
            $"{location.Describe(lineNumber)} holds {JsonText.Preview(node)}, not a JSON object. " +
            "Each line must hold one object whose keys are the column names.",
            lineNumber);
    }

    // The reader's own position suffix counts lines from 0 within the one-line document; the character position
    // is what helps.
    private static string DescribeJsonError(JsonException e)
    {
        var message = e.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var description = (suffix >= 0 ? message[..suffix] : message).TrimEnd('.', ' ');
        return e.BytePositionInLine is { } position ? $"{description} (at byte offset {position} in the line)" : description;
    }
}
