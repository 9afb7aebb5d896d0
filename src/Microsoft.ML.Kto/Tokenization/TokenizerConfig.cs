using System.Text.Json;
using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>What HfTokenizer needs from transformers' <c>tokenizer_config.json</c> (and <c>chat_template.jinja</c>).</summary>
internal sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? PadToken,
    string? UnkToken,
    IReadOnlyList<string> AdditionalSpecialTokens,
    bool? AddBosToken,
    bool? AddEosToken,
    IReadOnlyDictionary<string, string> ChatTemplates)
{
    public const string FileName = "tokenizer_config.json";
    public const string DefaultTemplateName = "default";

    public static TokenizerConfig Parse(string? json, string? chatTemplateJinja)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null)
        {
            AddJinjaTemplate(templates, chatTemplateJinja);
            return new TokenizerConfig(null, null, null, null, [], null, null, templates);
        }

        using var document = JsonParsing.Parse(json, FileName);
        var root = new JsonSection(document.RootElement, FileName, "$");
        if (root.Element.ValueKind != JsonValueKind.Object)
        {
            throw root.Error("expected a JSON object");
        }

        if (root.TryProperty("chat_template", out var chatTemplate))
        {
            ReadChatTemplates(chatTemplate, templates);
        }

        AddJinjaTemplate(templates, chatTemplateJinja);
        return new TokenizerConfig(
            TokenContent(root, "bos_token"),
            TokenContent(root, "eos_token"),
            TokenContent(root, "pad_token"),
            TokenContent(root, "unk_token"),
            root.TryProperty("additional_special_tokens", out var additional) ? additional.Items().Select(ReadToken).ToArray() : [],
            root.TryProperty("add_bos_token", out var addBos) ? addBos.GetBoolean() : null,
            root.TryProperty("add_eos_token", out var addEos) ? addEos.GetBoolean() : null,
            templates);
    }

    public static TokenizerFormatException Error(string property, string message) => new(FileName, $"$.{property}", message);

    private static string? TokenContent(JsonSection root, string property) =>
        root.TryProperty(property, out var value) ? ReadToken(value) : null;

    /// <summary>A special token is written either as its text or as a serialized AddedToken <c>{"content": ...}</c>.</summary>
    private static string ReadToken(JsonSection value) =>
        value.Element.ValueKind == JsonValueKind.Object ? value.RequiredString("content") : value.GetString();

    /// <summary><c>chat_template</c> is one template, or a list of <c>{"name", "template"}</c>.</summary>
    private static void ReadChatTemplates(JsonSection json, Dictionary<string, string> templates)
    {
        if (json.Element.ValueKind == JsonValueKind.String)
        {
            templates[DefaultTemplateName] = json.GetString();
            return;
        }

        foreach (var entry in json.Items())
        {
            templates[entry.RequiredString("name")] = entry.RequiredString("template");
        }
    }

    /// <summary>As in transformers, a chat_template.jinja file beside the config replaces its default template.</summary>
    private static void AddJinjaTemplate(Dictionary<string, string> templates, string? chatTemplateJinja)
    {
        if (chatTemplateJinja is not null)
        {
            templates[DefaultTemplateName] = chatTemplateJinja;
        }
    }
}
