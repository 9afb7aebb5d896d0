using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto.Chat;

/// <summary>
/// A fitted or saved model as a Microsoft.Extensions.AI <see cref="IChatClient"/>: messages go through the model's
/// chat template, <see cref="ChatOptions"/> become generation settings (defaults from the model's
/// <c>generation_config.json</c>), offered tools reach the template and tool calls in the answer come back as
/// <see cref="FunctionCallContent"/>. Responses report token usage and why generation ended. Cancellation is checked
/// between tokens. Thread-safe: concurrent calls each own their cache and sampling generator.
/// </summary>
public sealed class KtoChatClient : IChatClient
{
    private readonly KtoTransformer _transformer;
    private readonly bool _ownsTransformer;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Serves <paramref name="transformer"/>; with <paramref name="ownsTransformer"/>, disposing the client disposes it.</summary>
    public KtoChatClient(KtoTransformer transformer, bool ownsTransformer = false)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        if (transformer.Tokenizer.ChatTemplate is null)
        {
            throw new ArgumentException(
                "The model's tokenizer has no chat template, so it cannot hold a conversation; add chat_template to tokenizer_config.json or use KtoTransformer.Generate for plain text.",
                nameof(transformer));
        }

        _transformer = transformer;
        _ownsTransformer = ownsTransformer;
        _metadata = new ChatClientMetadata("Microsoft.ML.Kto", defaultModelId: transformer.ModelName);
    }

    /// <summary>Loads a saved model directory (as <see cref="KtoTransformer.Load"/>) and serves it; the client owns it.</summary>
    public static KtoChatClient Load(string directory, string device = "cpu", string dtype = "float32") =>
        new(KtoTransformer.Load(directory, device, dtype), ownsTransformer: true);

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Prepare(messages, options);
        await Task.Yield(); // generation is CPU-bound: never run it on the caller's synchronous path
        var generated = _transformer.GenerateIds([request.PromptIds], request.Options, onToken: null, cancellationToken)[0];
        var completion = request.NewCompletion();
        completion.Add(generated); // the whole completion at once: one decode, the same text and stop as streaming's last step

        var (text, calls) = request.SplitToolCalls(completion.Text);
        var contents = new List<AIContent>();
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        contents.AddRange(calls);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = request.ResponseId })
        {
            ResponseId = request.ResponseId,
            ModelId = _metadata.DefaultModelId,
            CreatedAt = request.CreatedAt,
            FinishReason = request.FinishReason(generated, completion, calls.Count),
            Usage = request.Usage(generated.Length),
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Prepare(messages, options);
        var updates = Channel.CreateUnbounded<ChatResponseUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => Produce(request, updates.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var update in updates.Reader.ReadAllAsync(cancellationToken))
            {
                yield return update;
            }

            await producer; // rethrows what ended generation early
        }
        finally
        {
            // A consumer that stops reading early stops the generation too.
            await stop.CancelAsync();
            await Task.WhenAny(producer);
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_transformer) ? _transformer
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsTransformer)
        {
            _transformer.Dispose();
        }
    }

    private void Produce(ChatRequest request, ChannelWriter<ChatResponseUpdate> writer, CancellationToken cancellationToken)
    {
        try
        {
            var completion = request.NewCompletion();
            var generated = _transformer.GenerateIds([request.PromptIds], request.Options, (_, token) =>
            {
                if (completion.Add(token) is { Length: > 0 } delta)
                {
                    writer.TryWrite(request.Update([new TextContent(delta)]));
                }
            }, cancellationToken)[0];

            // What was held back: the tail, minus any tool calls, which arrive as calls.
            var (text, calls) = request.SplitToolCalls(completion.Text);
            var rest = text.Length > completion.Released ? text[completion.Released..] : "";
            List<AIContent> last = rest.Length > 0 ? [new TextContent(rest)] : [];
            last.AddRange(calls);
            last.Add(new UsageContent(request.Usage(generated.Length)));
            var final = request.Update(last);
            final.FinishReason = request.FinishReason(generated, completion, calls.Count);
            writer.TryWrite(final);
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
            throw;
        }
    }

    private ChatRequest Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var generation = ChatOptionsMapping.ToGenerationOptions(options, _transformer.DefaultGenerationOptions);
        var tools = options?.ToolMode is NoneChatToolMode ? null : ChatMessages.ToTemplateTools(options?.Tools);
        var prompt = KtoContent.FromMessages(ChatMessages.ToTemplateMessages(messages));
        var promptIds = _transformer.EncodePrompt(prompt, tools, ChatOptionsMapping.ToTemplateKwargs(options));
        return new ChatRequest(_transformer, _metadata.DefaultModelId, promptIds, generation, tools is not null);
    }

    /// <summary>One call's prompt, settings and identity.</summary>
    private sealed record ChatRequest(KtoTransformer Transformer, string? ModelId, int[] PromptIds, GenerationOptions Options, bool HasTools)
    {
        public string ResponseId { get; } = $"kto-{Guid.NewGuid():N}";

        public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

        public StreamingCompletion NewCompletion() => new(Transformer.DecodeCompletion, Options.StopStrings, HasTools);

        public (string Text, IReadOnlyList<FunctionCallContent> Calls) SplitToolCalls(string text) =>
            HasTools ? ToolCallParser.Parse(text) : (text, []);

        public UsageDetails Usage(int outputTokens) => new()
        {
            InputTokenCount = PromptIds.Length,
            OutputTokenCount = outputTokens,
            TotalTokenCount = PromptIds.Length + outputTokens,
        };

        /// <summary>Tool calls, else an end-of-sequence token or stop sequence (stop), else the token limit (length).</summary>
        public ChatFinishReason FinishReason(int[] generated, StreamingCompletion completion, int toolCalls)
        {
            var eos = Options.EosTokenIds ?? Transformer.Model.Config.EosTokenIds;
            return toolCalls > 0 ? ChatFinishReason.ToolCalls
                : completion.StoppedBySequence || (generated.Length > 0 && eos.Contains(generated[^1])) ? ChatFinishReason.Stop
                : ChatFinishReason.Length;
        }

        public ChatResponseUpdate Update(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = ResponseId,
            MessageId = ResponseId,
            ModelId = ModelId,
            CreatedAt = CreatedAt,
        };
    }
}
