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

    // Invalid UTF-8 is an error, as in Python's json/datasets, rather than text silently replaced with U+FFFD.
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static IEnumerable<JsonlRecord> ReadLines(string path)
    {
        var location = RowLocation.InFile(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var lineNumber = 0;
        foreach (var bytes in Utf8Lines(stream))
        {
            lineNumber++;
            var line = Decode(bytes, lineNumber, location);
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return new JsonlRecord(lineNumber, ParseObject(line, lineNumber, location));
            }
        }
    }

    // Lines are split as bytes and decoded one at a time, so an encoding error names its own line.
    private static IEnumerable<byte[]> Utf8Lines(Stream stream)
    {
        var line = new MemoryStream();
        var buffer = new byte[1 << 16];
        var atStart = true;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var from = atStart && buffer.AsSpan(0, read).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;   // UTF-8 BOM
            atStart = false;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', from, read - from)) >= 0)
            {
                line.Write(buffer, from, newline - from);
                yield return TakeLine(line);
                from = newline + 1;
            }
            line.Write(buffer, from, read - from);
        }
        if (line.Length > 0)
        {
            yield return TakeLine(line);
        }
    }

    private static byte[] TakeLine(MemoryStream line)
    {
        var bytes = line.ToArray();
        line.SetLength(0);
        return bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes[..^1] : bytes;
    }

    private static string Decode(byte[] bytes, int lineNumber, RowLocation location)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new KtoDataException(
                $"{location.Describe(lineNumber)} is not valid UTF-8 ({e.Message.TrimEnd('.')}). Save the file as UTF-8.", lineNumber, innerException: e);
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

        RejectUnpairedSurrogates(node, line, lineNumber, location);
        return node as JsonObject ?? throw new KtoDataException(
            $"{location.Describe(lineNumber)} holds {JsonText.Preview(node)}, not a JSON object. " +
            "Each line must hold one object whose keys are the column names.",
            lineNumber);
    }

    // JSON may escape half of a surrogate pair ("\ud800"); System.Text.Json accepts it when parsing but fails on
    // reading the string, and no tokenizer can encode it. Only lines that hold such an escape pay for the check.
    private static void RejectUnpairedSurrogates(JsonNode? node, string line, int lineNumber, RowLocation location)
    {
        if (node is null || !HasSurrogateEscape(line))
        {
            return;
        }

        try
        {
            node.ToJsonString();
        }
        catch (InvalidOperationException e)
        {
            throw new KtoDataException(
                $"{location.Describe(lineNumber)} holds a string with an unpaired UTF-16 surrogate escape (such as \\ud800 without its low half); " +
                "text must be valid Unicode.", lineNumber, innerException: e);
        }
    }

    private static bool HasSurrogateEscape(string line)
    {
        for (var at = line.IndexOf("\\u", StringComparison.Ordinal); at >= 0 && at + 3 < line.Length; at = line.IndexOf("\\u", at + 2, StringComparison.Ordinal))
        {
            if (line[at + 2] is 'd' or 'D' && line[at + 3] is >= '8' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F')
            {
                return true;
            }
        }

        return false;
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
