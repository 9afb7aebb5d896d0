using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>
/// A prompt or a completion: either plain text (standard format) or a list of chat messages (conversational format).
/// </summary>
/// <remarks>
/// Messages are kept as the JSON objects of the input so that a chat template sees every field
/// (<c>role</c>, <c>content</c>, <c>tool_calls</c>, <c>name</c>, ...). Treat the array as read-only; clone its
/// items before placing them in another JSON tree (a JSON node can have only one parent).
/// </remarks>
public sealed class KtoContent
{
    private KtoContent(string? text, JsonArray? messages)
    {
        Text = text;
        Messages = messages;
    }

    /// <summary>The plain text, or null for a conversation.</summary>
    public string? Text { get; }

    /// <summary>The chat messages, or null for plain text.</summary>
    public JsonArray? Messages { get; }

    /// <summary>True when this is a list of chat messages.</summary>
    [MemberNotNullWhen(true, nameof(Messages))]
    [MemberNotNullWhen(false, nameof(Text))]
    public bool IsConversational => Messages is not null;

    /// <summary>Whether this is text or a conversation.</summary>
    public KtoContentKind Kind => IsConversational ? KtoContentKind.Conversation : KtoContentKind.Text;

    /// <summary>True for an empty string or an empty message list.</summary>
    public bool IsEmpty => IsConversational ? Messages.Count == 0 : Text.Length == 0;

    /// <summary>Plain-text content.</summary>
    public static KtoContent FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new KtoContent(text, null);
    }

    /// <summary>Conversational content. The array is used as is, not copied.</summary>
    /// <exception cref="ArgumentException">An item is not an object with a string <c>role</c>.</exception>
    public static KtoContent FromMessages(JsonArray messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var problem = ChatMessageRules.FindProblem(messages);
        if (problem is not null)
        {
            throw new ArgumentException($"Not a list of chat messages: {problem}.", nameof(messages));
        }

        return new KtoContent(null, messages);
    }

    /// <summary>The text, or the messages as JSON.</summary>
    public override string ToString() => IsConversational ? Messages.ToJsonString() : Text;
}
