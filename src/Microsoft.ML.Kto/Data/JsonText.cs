using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>Short, readable JSON renderings of user values for error messages.</summary>
internal static class JsonText
{
    private const int MaxPreviewLength = 80;

    // Relaxed escaping so that a found value reads as the user wrote it ("yes", not "\u0022yes\u0022").
    private static readonly JsonSerializerOptions ReadableOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value as JSON, cut to a length that keeps a message on one screen line.</summary>
    public static string Preview(JsonNode? node)
    {
        var json = node is null ? "null" : node.ToJsonString(ReadableOptions);
        return json.Length <= MaxPreviewLength ? json : string.Concat(json.AsSpan(0, MaxPreviewLength), "…");
    }
}
