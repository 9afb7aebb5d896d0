using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto.Chat;

/// <summary>
/// <see cref="ChatOptions"/> as generation settings. Temperature 0 means greedy decoding (as OpenAI-style APIs
/// define it); any other temperature, top-p or top-k turns sampling on. Options a local causal LM cannot honour are
/// refused rather than ignored.
/// </summary>
internal static class ChatOptionsMapping
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key for transformers' <c>repetition_penalty</c>.</summary>
    public const string RepetitionPenaltyKey = "repetition_penalty";

    public static GenerationOptions ToGenerationOptions(ChatOptions? chat, GenerationOptions defaults)
    {
        if (chat is null)
        {
            return defaults;
        }

        if (chat.FrequencyPenalty is not null || chat.PresencePenalty is not null)
        {
            throw new NotSupportedException(
                $"FrequencyPenalty and PresencePenalty have no transformers equivalent; set AdditionalProperties[\"{RepetitionPenaltyKey}\"] instead.");
        }

        if (chat.ResponseFormat is ChatResponseFormatJson)
        {
            throw new NotSupportedException("JSON response formats need constrained decoding, which this model does not do; ask for JSON in the prompt instead.");
        }

        if (chat.ToolMode is RequiredChatToolMode)
        {
            throw new NotSupportedException("ToolMode RequireAny/RequireSpecific cannot be enforced on a local model; use ChatToolMode.Auto.");
        }

        var options = defaults;
        if (chat.Temperature is { } temperature)
        {
            options = temperature == 0 ? options with { DoSample = false } : options with { DoSample = true, Temperature = temperature };
        }

        if (chat.TopP is { } topP)
        {
            options = options with { DoSample = options.DoSample || chat.Temperature is null, TopP = topP };
        }

        if (chat.TopK is { } topK)
        {
            options = options with { DoSample = options.DoSample || chat.Temperature is null, TopK = topK };
        }

        if (chat.MaxOutputTokens is { } maxTokens)
        {
            options = options with { MaxNewTokens = maxTokens };
        }

        if (chat.StopSequences is { Count: > 0 } stops)
        {
            options = options with { StopStrings = [.. options.StopStrings, .. stops] };
        }

        if (chat.Seed is { } seed)
        {
            options = options with { Seed = unchecked((ulong)seed) };
        }

        if (chat.AdditionalProperties?.TryGetValue(RepetitionPenaltyKey, out var penalty) == true)
        {
            options = options with { RepetitionPenalty = Convert.ToDouble(penalty is JsonElement e ? e.GetDouble() : penalty, System.Globalization.CultureInfo.InvariantCulture) };
        }

        options.Validate();
        return options;
    }

    /// <summary>
    /// Every other additional property is a chat-template variable, as keyword arguments of transformers'
    /// <c>apply_chat_template</c> are (for example <c>enable_thinking</c> for Qwen3).
    /// </summary>
    public static JsonObject? ToTemplateKwargs(ChatOptions? chat)
    {
        if (chat?.AdditionalProperties is not { Count: > 0 } properties)
        {
            return null;
        }

        var kwargs = new JsonObject();
        foreach (var (key, value) in properties)
        {
            if (key != RepetitionPenaltyKey)
            {
                kwargs[key] = JsonSerializer.SerializeToNode(value);
            }
        }

        return kwargs.Count > 0 ? kwargs : null;
    }
}
