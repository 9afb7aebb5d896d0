using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto.Chat;

/// <summary>
/// Finds the tool calls in a completion, in the formats chat templates teach: Hermes-style
/// <c>&lt;tool_call&gt;{"name": …, "arguments": {…}}&lt;/tool_call&gt;</c> blocks (Qwen2/2.5/3; a final block may be
/// unclosed when generation stopped), or an answer that is one JSON object <c>{"name": …, "parameters"|"arguments": {…}}</c>
/// (Llama 3.1/3.2). Anything that does not parse as such a call stays text.
/// </summary>
internal static partial class ToolCallParser
{
    public static (string Text, IReadOnlyList<FunctionCallContent> Calls) Parse(string completion)
    {
        var calls = new List<FunctionCallContent>();
        var trimmed = completion.Trim();
        if (trimmed.StartsWith('{') && TryParseCall(trimmed, calls.Count) is { } bare)
        {
            return ("", [bare]);
        }

        var text = HermesBlock().Replace(completion, match =>
        {
            if (TryParseCall(match.Groups["json"].Value, calls.Count) is not { } call)
            {
                return match.Value;
            }

            calls.Add(call);
            return "";
        });
        return calls.Count == 0 ? (completion, []) : (text.TrimEnd(), calls);
    }

    private static FunctionCallContent? TryParseCall(string json, int index)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var arguments = root.TryGetProperty("arguments", out var a) ? a : root.TryGetProperty("parameters", out var p) ? p : default;
            if (arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
            {
                return null;
            }

            var values = arguments.ValueKind == JsonValueKind.Object
                ? arguments.EnumerateObject().ToDictionary(property => property.Name, property => (object?)property.Value.Clone())
                : [];
            return new FunctionCallContent($"call_{index}_{Guid.NewGuid():N}", name.GetString()!, values);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(StreamingCompletion.ToolCallTag + """\s*(?<json>.*?)\s*(?:</tool_call>|$)""", RegexOptions.Singleline)]
    private static partial Regex HermesBlock();
}
