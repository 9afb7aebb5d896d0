using System.Text.Json;

namespace Microsoft.ML.Kto.Models.Safetensors;

/// <summary>Parses and validates the JSON header so that no later read can run outside the file.</summary>
internal static class SafetensorsHeader
{
    // The format caps the header at 100 MB; anything larger is garbage, not a model.
    internal const long MaxHeaderBytes = 100_000_000;

    internal static (Dictionary<string, SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> json, long dataLength, string path)
    {
        // System.Text.Json checks UTF-8 inside strings only when they are read, so check the whole header first.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw Error(path, "the header is not valid UTF-8");
        }

        JsonDocument document;
        try { document = JsonDocument.Parse(json.ToArray()); }
        catch (JsonException e) { throw Error(path, $"the header is not valid JSON ({e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "the header is not a JSON object");
            }

            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(property.Value, metadata, path);
                    continue;
                }
                entries[property.Name] = ParseEntry(property, dataLength, path);
            }
            CheckLayout(entries.Values, dataLength, path);
            return (entries, metadata);
        }
    }

    // As the reference library: __metadata__ is a map of strings to strings.
    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "__metadata__ is not a JSON object of strings");
        }

        foreach (var m in value.EnumerateObject())
        {
            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String
                ? m.Value.GetString()!
                : throw Error(path, $"__metadata__ value '{m.Name}' is not a string");
        }
    }

    // As the reference library: the tensors tile the data section, in offset order, from byte 0 to its last byte, so no
    // two tensors share bytes (a crafted file could otherwise load one tensor's bytes into two parameters) and no bytes
    // are unaccounted for.
    private static void CheckLayout(IEnumerable<SafetensorsEntry> entries, long dataLength, string path)
    {
        long end = 0;
        string? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != end)
            {
                throw Error(path, entry.Begin < end
                    ? $"tensor '{entry.Name}' starts at data byte {entry.Begin}, inside tensor '{previous}' (which ends at {end}); tensors must not overlap"
                    : $"tensor '{entry.Name}' starts at data byte {entry.Begin}, but the previous tensor{(previous is null ? "s end" : $" '{previous}' ends")} at {end}; tensors must be contiguous");
            }

            end = entry.End;
            previous = entry.Name;
        }
        if (end != dataLength)
        {
            throw Error(path, $"the tensors cover {end} data bytes but the data section has {dataLength}; the file has bytes no tensor accounts for");
        }
    }

    private static SafetensorsEntry ParseEntry(JsonProperty property, long dataLength, string path)
    {
        var name = property.Name;
        try
        {
            var e = property.Value;
            var dtype = SafetensorsEntry.ParseDType(e.GetProperty("dtype").GetString() ?? "");
            var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0))
            {
                throw new FormatException("negative dimension");
            }

            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
            {
                throw new FormatException("data_offsets must be [begin, end] with 0 <= begin <= end");
            }

            var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
            // Checked: a crafted shape must not overflow into a small, plausible byte count.
            var expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * dtype.ElementSize());
            if (offsets[1] - offsets[0] != expected)
            {
                throw new FormatException($"shape [{string.Join(", ", shape)}] of {dtype} needs {expected} bytes but data_offsets span {offsets[1] - offsets[0]}");
            }

            if (offsets[1] > dataLength)
            {
                throw new FormatException($"data ends at byte {offsets[1]} but the file holds only {dataLength} data bytes (truncated file?)");
            }

            return entry;
        }
        catch (OverflowException)
        {
            throw Error(path, $"tensor '{name}': its shape has more elements than any file can hold");
        }
        catch (Exception ex) when (ex is FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw Error(path, $"tensor '{name}': {ex.Message}");
        }
    }

    internal static SafetensorsException Error(string path, string problem) =>
        new($"Invalid safetensors file '{path}': {problem}.");
}
