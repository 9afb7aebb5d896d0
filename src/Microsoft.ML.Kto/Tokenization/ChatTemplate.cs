using System.Text.Json.Nodes;
using Microsoft.ML.Jinja;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// A Hugging Face chat template (the <c>chat_template</c> of <c>tokenizer_config.json</c>), rendered exactly as
/// transformers' <c>apply_chat_template(..., tokenize=False)</c> renders it.
/// </summary>
public sealed class ChatTemplate
{
    private static readonly HashSet<string> ReservedVariables = ["messages", "tools", "documents", "add_generation_prompt"];

    private readonly JinjaTemplate _template;

    /// <exception cref="TemplateException">The template has a syntax error (the message carries the line).</exception>
    public ChatTemplate(string source) => _template = new JinjaTemplate(source);

    /// <summary>
    /// Renders a conversation. Like transformers, <c>tools</c> and <c>documents</c> are passed as None when absent,
    /// special tokens only when set, and <paramref name="extraVariables"/> (chat_template_kwargs such as
    /// <c>enable_thinking</c>) last, so they may override the special tokens.
    /// </summary>
    /// <exception cref="TemplateException">The template raised an error, e.g. through <c>raise_exception</c>.</exception>
    public string Render(
        JsonArray messages,
        JsonArray? tools = null,
        bool addGenerationPrompt = false,
        string? bosToken = null,
        string? eosToken = null,
        IReadOnlyDictionary<string, JsonNode?>? extraVariables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["messages"] = messages,
            ["tools"] = tools,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        if (bosToken is not null)
        {
            variables["bos_token"] = bosToken;
        }

        if (eosToken is not null)
        {
            variables["eos_token"] = eosToken;
        }

        foreach (var (name, value) in extraVariables ?? new Dictionary<string, JsonNode?>())
        {
            if (ReservedVariables.Contains(name))
            {
                throw new ArgumentException($"'{name}' is set by Render's own parameters and cannot be passed as an extra variable.", nameof(extraVariables));
            }

            variables[name] = value;
        }

        return _template.Render(variables);
    }
}
