using System.Text.Json;

namespace Microsoft.ML.Kto.Tokenization.Json;

/// <summary>
/// A JSON value together with the file and path it came from, so that every validation error can say
/// exactly where the problem is. Accessors throw <see cref="TokenizerFormatException"/> on wrong types.
/// </summary>
internal readonly struct JsonSection
{
    public JsonSection(JsonElement element, string fileName, string path)
    {
        Element = element;
        FileName = fileName;
        Path = path;
    }

    public JsonElement Element { get; }

    public string FileName { get; }

    public string Path { get; }

    public TokenizerFormatException Error(string message) => new(FileName, Path, message);

    /// <summary>The value of a required property; null counts as missing.</summary>
    public JsonSection Property(string name)
    {
        if (TryProperty(name, out var child))
        {
            return child;
        }

        throw new TokenizerFormatException(FileName, $"{Path}.{name}", "required field is missing or null");
    }

    /// <summary>The value of an optional property; false when it is absent or null.</summary>
    public bool TryProperty(string name, out JsonSection child)
    {
        RequireKind(JsonValueKind.Object, "an object");
        if (Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            child = new JsonSection(value, FileName, $"{Path}.{name}");
            return true;
        }

        child = default;
        return false;
    }

    public string GetString()
    {
        RequireKind(JsonValueKind.String, "a string");
        return Element.GetString()!;
    }

    public bool GetBoolean()
    {
        if (Element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return Element.GetBoolean();
        }

        throw Error($"expected a boolean but found {Describe(Element.ValueKind)}");
    }

    public int GetInt32()
    {
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var value))
        {
            return value;
        }

        throw Error($"expected a 32-bit integer but found {Describe(Element.ValueKind)}");
    }

    /// <summary>
    /// Largest token id accepted, exclusive. HF stores ids as u32 in maps; we index arrays by id, so a hostile file
    /// must not make us allocate by an arbitrary number. 2^24 is 64 times the largest real vocabulary (Gemma's 256K).
    /// </summary>
    public const int MaxTokenId = 1 << 24;

    /// <summary>A token id: an integer in [0, <see cref="MaxTokenId"/>).</summary>
    public int GetTokenId()
    {
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var value) && value is >= 0 and < MaxTokenId)
        {
            return value;
        }

        throw Error($"expected a token id in [0, {MaxTokenId}) but found {(Element.ValueKind == JsonValueKind.Number ? Element.GetRawText() : Describe(Element.ValueKind))}");
    }

    public double GetDouble()
    {
        RequireKind(JsonValueKind.Number, "a number");
        return Element.GetDouble();
    }

    public IEnumerable<JsonSection> Items()
    {
        RequireKind(JsonValueKind.Array, "an array");
        var index = 0;
        foreach (var item in Element.EnumerateArray())
        {
            yield return new JsonSection(item, FileName, $"{Path}[{index++}]");
        }
    }

    public IEnumerable<(string Name, JsonSection Value)> Properties()
    {
        RequireKind(JsonValueKind.Object, "an object");
        foreach (var property in Element.EnumerateObject())
        {
            yield return (property.Name, new JsonSection(property.Value, FileName, $"{Path}[\"{property.Name}\"]"));
        }
    }

    public string RequiredString(string name) => Property(name).GetString();

    public string? OptionalString(string name) => TryProperty(name, out var value) ? value.GetString() : null;

    public bool OptionalBoolean(string name, bool defaultValue) =>
        TryProperty(name, out var value) ? value.GetBoolean() : defaultValue;

    public int OptionalInt32(string name, int defaultValue) =>
        TryProperty(name, out var value) ? value.GetInt32() : defaultValue;

    /// <summary>The <c>type</c> discriminator that every tokenizer.json component carries.</summary>
    public string ComponentType() => RequiredString("type");

    public TokenizerFormatException Unsupported(string component, string type) =>
        Error($"unsupported {component} type '{type}'");

    private void RequireKind(JsonValueKind kind, string description)
    {
        if (Element.ValueKind != kind)
        {
            throw Error($"expected {description} but found {Describe(Element.ValueKind)}");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };
}
