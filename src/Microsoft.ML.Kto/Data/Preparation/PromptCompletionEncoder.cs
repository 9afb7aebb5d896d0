using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Data.Preparation;

/// <summary>
/// Turns prompts and completions into token ids the way TRL's KTO preprocessing does: plain text is tokenized
/// with the tokenizer's special tokens (prompt alone, then prompt + completion); conversations are rendered with
/// the chat template (with <c>add_generation_prompt</c> for the prompt alone, tools and chat_template_kwargs
/// for both) and tokenized without adding special tokens, since the template writes them.
/// </summary>
public sealed class PromptCompletionEncoder
{
    private readonly ChatTemplate? _template;

    /// <summary>Creates the encoder; the chat template comes from the tokenizer directory when it has one.</summary>
    public PromptCompletionEncoder(HfTokenizer tokenizer, string? chatTemplate = null)
    {
        Tokenizer = tokenizer;
        var source = chatTemplate ?? tokenizer.ChatTemplate;
        _template = source is null ? null : new ChatTemplate(source);
    }

    /// <summary>The tokenizer.</summary>
    public HfTokenizer Tokenizer { get; }

    /// <summary>True when conversations can be rendered.</summary>
    public bool HasChatTemplate => _template is not null;

    /// <summary>The EOS token text appended to plain-text completions.</summary>
    public string EosToken => Tokenizer.EosToken
        ?? throw new InvalidOperationException("The tokenizer defines no eos_token; set one in tokenizer_config.json so completions can end.");

    /// <summary>Ids of the prompt as the model sees it before generating a completion.</summary>
    public int[] EncodePrompt(KtoContent prompt, JsonArray? tools = null, JsonObject? chatTemplateKwargs = null) =>
        prompt.IsConversational
            ? Tokenizer.EncodeToIds(Render(prompt.Messages!, tools, addGenerationPrompt: true, chatTemplateKwargs), addSpecialTokens: false)
            : Tokenizer.EncodeToIds(prompt.Text!, addSpecialTokens: true);

    /// <summary>Ids of prompt followed by completion (plain-text completions get EOS unless they end with it).</summary>
    public int[] EncodePromptAndCompletion(KtoContent prompt, KtoContent completion, JsonArray? tools = null, JsonObject? chatTemplateKwargs = null)
    {
        if (!prompt.IsConversational)
        {
            var text = completion.Text!;
            if (!text.EndsWith(EosToken, StringComparison.Ordinal))
            {
                text += EosToken;
            }

            return Tokenizer.EncodeToIds(prompt.Text! + text, addSpecialTokens: true);
        }
        var messages = new JsonArray(prompt.Messages!.Concat(completion.Messages!).Select(m => m?.DeepClone()).ToArray());
        return Tokenizer.EncodeToIds(Render(messages, tools, addGenerationPrompt: false, chatTemplateKwargs), addSpecialTokens: false);
    }

    private string Render(JsonArray messages, JsonArray? tools, bool addGenerationPrompt, JsonObject? kwargs)
    {
        if (_template is null)
        {
            throw new InvalidOperationException(
                "The data is conversational (lists of messages) but the tokenizer has no chat template. Add chat_template to tokenizer_config.json (or a chat_template.jinja file), or use plain-text prompts and completions.");
        }

        var extra = kwargs?.ToDictionary(p => p.Key, p => p.Value?.DeepClone());
        return _template.Render(messages, tools, addGenerationPrompt, Tokenizer.BosToken, Tokenizer.EosToken, extra);
    }
}
