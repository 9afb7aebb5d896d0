using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>The one rule set a message list must satisfy, shared by data loading and <see cref="KtoContent.FromMessages"/>.</summary>
internal static class ChatMessageRules
{
    /// <summary>Returns what is wrong with <paramref name="messages"/>, or null when every item is a message.</summary>
    /// <remarks>
    /// Only <c>role</c> is required: assistant turns that call tools often carry <c>tool_calls</c> and no
    /// <c>content</c>, and every other field is left for the chat template to interpret.
    /// </remarks>
    public static string? FindProblem(JsonArray messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                return $"item {i + 1} is not a message object (found {JsonText.Preview(messages[i])})";
            }

            if (message["role"] is not JsonValue role || role.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                return $"message {i + 1} has no string 'role' (found {JsonText.Preview(message)})";
            }
        }

        return null;
    }
}
