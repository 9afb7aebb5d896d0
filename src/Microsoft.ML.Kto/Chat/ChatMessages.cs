using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Microsoft.ML.Kto.Chat;

/// <summary>
/// Microsoft.Extensions.AI messages and tools in the shape Hugging Face chat templates read: <c>{"role", "content"}</c>
/// messages, assistant <c>tool_calls</c> with arguments as an object, tool results as <c>tool</c> messages, and tools
/// as <c>{"type": "function", "function": {"name", "description", "parameters"}}</c>.
/// </summary>
internal static class ChatMessages
{
    public static JsonArray ToTemplateMessages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var result = new JsonArray();
        foreach (var message in messages)
        {
            result.Add(ToTemplateMessage(message));
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("Pass at least one chat message.", nameof(messages));
        }

        return result;
    }

    public static JsonArray? ToTemplateTools(IList<AITool>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        var result = new JsonArray();
        foreach (var tool in tools)
        {
            if (tool is not AIFunctionDeclaration function)
            {
                throw new NotSupportedException(
                    $"Tool '{tool.Name}' is a {tool.GetType().Name}; a local model can only be offered function tools (AIFunction / AIFunctionDeclaration).");
            }

            result.Add(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = function.Name,
                    ["description"] = function.Description,
                    ["parameters"] = JsonNode.Parse(function.JsonSchema.GetRawText()),
                },
            });
        }

        return result;
    }

    private static JsonObject ToTemplateMessage(ChatMessage message)
    {
        var json = new JsonObject { ["role"] = message.Role.Value };
        var text = new List<string>();
        JsonArray? toolCalls = null;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent t:
                    text.Add(t.Text);
                    break;
                case TextReasoningContent:
                    break; // Templates re-render only the answers of earlier turns, as transformers' do.
                case FunctionCallContent call:
                    (toolCalls ??= []).Add(new JsonObject
                    {
                        ["type"] = "function",
                        ["id"] = call.CallId,
                        ["function"] = new JsonObject
                        {
                            ["name"] = call.Name,
                            ["arguments"] = JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>()),
                        },
                    });
                    break;
                case FunctionResultContent result:
                    text.Add(result.Result switch
                    {
                        null => "",
                        string s => s,
                        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
                        var other => JsonSerializer.Serialize(other),
                    });
                    json["tool_call_id"] = result.CallId;
                    break;
                case UsageContent:
                    break;
                default:
                    throw new NotSupportedException(
                        $"A {message.Role} message holds {content.GetType().Name}; this model reads text, function calls and function results only.");
            }
        }

        json["content"] = string.Concat(text);
        if (toolCalls is not null)
        {
            json["tool_calls"] = toolCalls;
        }

        return json;
    }
}
