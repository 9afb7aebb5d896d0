using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto;

public sealed partial class KtoTransformer
{
    /// <summary>
    /// Generation settings used when none are passed: the model directory's <c>generation_config.json</c> when it has
    /// one (as transformers does), else <see cref="GenerationOptions"/>' defaults.
    /// </summary>
    public GenerationOptions DefaultGenerationOptions
    {
        get
        {
            var path = Path.Combine(_tokenizerDirectory, "generation_config.json");
            return File.Exists(path) ? GenerationOptions.FromGenerationConfig(path) : new GenerationOptions();
        }
    }

    /// <summary>
    /// Completes a text prompt. With <paramref name="applyChatTemplate"/> (and a tokenizer that has a template) the
    /// prompt is sent as one user message with the generation prompt, as chat models expect; otherwise it is
    /// tokenized as raw text.
    /// </summary>
    public string Generate(string prompt, GenerationOptions? options = null, bool applyChatTemplate = true) =>
        Generate([TextPrompt(prompt, applyChatTemplate)], options)[0];

    /// <summary>Continues a conversation (the assistant's next message), with optional tools and template variables.</summary>
    public string Generate(JsonArray messages, GenerationOptions? options = null, JsonArray? tools = null, JsonObject? chatTemplateKwargs = null) =>
        Generate([KtoContent.FromMessages(messages)], options, tools, chatTemplateKwargs)[0];

    /// <summary>Completes several prompts in one left-padded batch.</summary>
    public IReadOnlyList<string> Generate(IReadOnlyList<KtoContent> prompts, GenerationOptions? options = null, JsonArray? tools = null,
        JsonObject? chatTemplateKwargs = null, Action<int, int>? onToken = null)
    {
        var ids = prompts.Select(p => _encoder.EncodePrompt(p, tools, chatTemplateKwargs)).ToList();
        return GenerateIds(ids, options ?? DefaultGenerationOptions, onToken, CancellationToken.None).Select(DecodeCompletion).ToList();
    }

    /// <summary>The prompt's token ids, as the chat template and tokenizer give them.</summary>
    internal int[] EncodePrompt(KtoContent prompt, JsonArray? tools, JsonObject? chatTemplateKwargs) =>
        _encoder.EncodePrompt(prompt, tools, chatTemplateKwargs);

    /// <summary>The new tokens of each prompt, an end-of-sequence token that stopped a row included.</summary>
    internal int[][] GenerateIds(IReadOnlyList<int[]> promptIds, GenerationOptions options, Action<int, int>? onToken, CancellationToken cancellationToken) =>
        TextGenerator.Generate(Model, promptIds, options, decode: DecodeCompletion, onToken, cancellationToken);

    /// <summary>Completion text as users see it: special tokens (such as the end-of-sequence token) left out.</summary>
    internal string DecodeCompletion(int[] ids) => Tokenizer.Decode(ids, skipSpecialTokens: true);

    // Greedy and at most 128 new tokens: the report compares the same prompt before and after, so sampling noise and
    // very long completions would only hide the difference.
    internal string CompleteForReport(KtoRow row)
    {
        var defaults = DefaultGenerationOptions;
        var options = defaults with { DoSample = false, MaxNewTokens = Math.Min(defaults.MaxNewTokens, 128) };
        return Generate([row.Prompt], options, row.Tools, row.ChatTemplateKwargs)[0];
    }

    // A chat model expects its template even for plain text: the text becomes one user message.
    private KtoContent TextPrompt(string text, bool applyChatTemplate) =>
        applyChatTemplate && Tokenizer.ChatTemplate is not null
            ? KtoContent.FromMessages(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }))
            : KtoContent.FromText(text);
}
