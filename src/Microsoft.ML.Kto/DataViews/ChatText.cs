using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// Text columns of an IDataView carry either plain text or, for the conversational format, the JSON text of a list of
/// chat messages (IDataView has no nested types). A non-empty JSON list whose items all have a "role" is a conversation;
/// anything else, including text that merely starts with '[', is plain text.
/// </summary>
internal static class ChatText
{
    /// <summary>The value as a JSON node: a message list, or a string.</summary>
    public static JsonNode Parse(string value)
    {
        var trimmed = value.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] == '[')
        {
            try
            {
                if (JsonNode.Parse(value) is JsonArray { Count: > 0 } messages && messages.All(m => m is JsonObject o && o.ContainsKey("role")))
                {
                    return messages;
                }
            }
            catch (JsonException)
            {
                // Not JSON: plain text.
            }
        }
        return JsonValue.Create(value);
    }

    /// <summary>The value as a prompt.</summary>
    public static KtoContent ToContent(string value) =>
        Parse(value) is JsonArray messages ? KtoContent.FromMessages(messages) : KtoContent.FromText(value);
}
