using System.Text.Json;

namespace Microsoft.ML.Kto.Tokenization.Json;

/// <summary>Parses a tokenizer file, reporting malformed JSON as a <see cref="TokenizerFormatException"/>.</summary>
internal static class JsonParsing
{
    public static JsonDocument Parse(string json, string fileName)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(fileName, e.Path, $"malformed JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }
}
