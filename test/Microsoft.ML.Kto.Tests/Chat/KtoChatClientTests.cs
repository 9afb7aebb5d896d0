using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.ML.Kto.Chat;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models;

namespace Microsoft.ML.Kto.Tests.Chat;

/// <summary>The fitted model as a Microsoft.Extensions.AI chat client, on the tiny ChatML model.</summary>
[TestClass]
public sealed class KtoChatClientTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "be brief"),
        new(ChatRole.User, "the sky is"),
    ];

    private static readonly JsonArray TemplateConversation =
    [
        new JsonObject { ["role"] = "system", ["content"] = "be brief" },
        new JsonObject { ["role"] = "user", ["content"] = "the sky is" },
    ];

    private static TinyKtoFixtures Fixtures = null!;
    private static KtoTransformer Transformer = null!;

    [ClassInitialize]
    public static void Load(TestContext _)
    {
        Fixtures = TinyKtoFixtures.Create(seed: 21);
        Transformer = KtoTransformer.Load(Fixtures.Directory);
    }

    [ClassCleanup]
    public static void Unload()
    {
        Transformer.Dispose();
        Fixtures.Dispose();
    }

    [TestMethod]
    public async Task StreamingConcatenatesToTheNonStreamingResponse()
    {
        using var client = new KtoChatClient(Transformer);
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            var options = new ChatOptions { Temperature = 1.0f, Seed = seed, MaxOutputTokens = 24 };
            var whole = await client.GetResponseAsync(Conversation, options);
            var updates = await client.GetStreamingResponseAsync(Conversation, options).ToListAsync();
            var streamed = updates.ToChatResponse();

            Assert.AreEqual(whole.Text, streamed.Text, $"seed {seed}");
            Assert.AreEqual(whole.Text, string.Concat(updates.Select(u => u.Text)));
            Assert.AreEqual(whole.FinishReason, streamed.FinishReason);
            Assert.AreEqual(whole.Usage!.OutputTokenCount, streamed.Usage!.OutputTokenCount);
            Assert.IsTrue(updates.Count >= 2, "the text arrives in pieces");
        }
    }

    [TestMethod]
    public async Task TemperatureZeroIsGreedyAndMatchesTheTransformer()
    {
        using var client = new KtoChatClient(Transformer);
        var response = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });
        var expected = Transformer.Generate(TemplateConversation, new GenerationOptions { MaxNewTokens = 16 });
        Assert.AreEqual(expected, response.Text);

        var promptTokens = Transformer.EncodePrompt(KtoContent.FromMessages(TemplateConversation), tools: null, chatTemplateKwargs: null).Length;
        Assert.AreEqual(promptTokens, response.Usage!.InputTokenCount);
        Assert.AreEqual(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.AreEqual(ChatRole.Assistant, response.Messages.Single().Role);
    }

    [TestMethod]
    public async Task SeedMakesSamplingReproducible()
    {
        using var client = new KtoChatClient(Transformer);
        ChatOptions Sampling(long seed) => new() { Temperature = 1.5f, TopK = 0, Seed = seed, MaxOutputTokens = 20 };
        var first = (await client.GetResponseAsync(Conversation, Sampling(7))).Text;
        Assert.AreEqual(first, (await client.GetResponseAsync(Conversation, Sampling(7))).Text);
        Assert.AreNotEqual(first, (await client.GetResponseAsync(Conversation, Sampling(8))).Text);
    }

    [TestMethod]
    public async Task MaxOutputTokensEndsWithLengthAndStopSequencesAreCut()
    {
        using var client = new KtoChatClient(Transformer);
        var greedy = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 6 });
        Assert.AreEqual(6, greedy.Usage!.OutputTokenCount, "fixture: the greedy reply must not end early");
        Assert.AreEqual(ChatFinishReason.Length, greedy.FinishReason);

        var longer = (await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 30 })).Text;
        var stop = longer.Substring(longer.Length / 2, 2);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 30, StopSequences = [stop] };
        var stopped = await client.GetResponseAsync(Conversation, options);
        Assert.AreEqual(longer[..longer.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.AreEqual(ChatFinishReason.Stop, stopped.FinishReason);

        var streamed = (await client.GetStreamingResponseAsync(Conversation, options).ToListAsync()).ToChatResponse();
        Assert.AreEqual(stopped.Text, streamed.Text, "a stop sequence is never streamed, not even in part");
    }

    [TestMethod]
    public async Task CancellationStopsBetweenTokensAndLeavesNoTensors()
    {
        using var client = new KtoChatClient(Transformer);
        var start = TorchRuntime.LiveTensors;
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 200 };
        using var cancel = new CancellationTokenSource();
        var received = 0;
        await Assert.ThrowsAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(Conversation, options, cancel.Token))
            {
                if (++received == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });
        Assert.IsTrue(received < 200);

        await Assert.ThrowsAsync<OperationCanceledException>(() => client.GetResponseAsync(Conversation, options, new CancellationToken(canceled: true)));

        // Stopping early without cancelling also ends generation.
        await foreach (var _ in client.GetStreamingResponseAsync(Conversation, options))
        {
            break;
        }

        Assert.AreEqual(start, TorchRuntime.LiveTensors, "cancelled generations release their tensors");
    }

    [TestMethod]
    public async Task ToolsReachTheTemplateAndTemplateVariablesPassThrough()
    {
        using var client = new KtoChatClient(Transformer);
        var tool = AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Weather for a city");
        var plain = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 1 });
        var withTools = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 1, Tools = [tool] });
        var tools = new JsonArray(new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = "get_weather",
                ["description"] = "Weather for a city",
                ["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
            },
        });
        var expected = Transformer.EncodePrompt(KtoContent.FromMessages(TemplateConversation), tools, chatTemplateKwargs: null).Length;
        Assert.AreEqual(expected, withTools.Usage!.InputTokenCount);
        Assert.IsTrue(withTools.Usage.InputTokenCount > plain.Usage!.InputTokenCount);

        var noneMode = await client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 1, Tools = [tool], ToolMode = ChatToolMode.None });
        Assert.AreEqual(plain.Usage.InputTokenCount, noneMode.Usage!.InputTokenCount, "ToolMode.None offers no tools");

        var greeted = await client.GetResponseAsync(Conversation, new ChatOptions
        {
            MaxOutputTokens = 1,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["greeting"] = "hello there" },
        });
        var kwargs = new JsonObject { ["greeting"] = "hello there" };
        Assert.AreEqual(Transformer.EncodePrompt(KtoContent.FromMessages(TemplateConversation), null, kwargs).Length, greeted.Usage!.InputTokenCount);
    }

    [TestMethod]
    public async Task FunctionCallsAndResultsAreRenderedAsTemplateMessages()
    {
        ChatMessage[] history =
        [
            new(ChatRole.User, "weather in Oslo?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")]),
        ];
        var json = ChatMessages.ToTemplateMessages(history);
        Assert.AreEqual("""{"type":"function","id":"c1","function":{"name":"get_weather","arguments":{"city":"Oslo"}}}""", json[1]!["tool_calls"]![0]!.ToJsonString());
        Assert.AreEqual("sunny", (string)json[2]!["content"]!);
        Assert.AreEqual("tool", (string)json[2]!["role"]!);

        using var client = new KtoChatClient(Transformer);
        var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 2 });
        Assert.IsTrue(response.Usage!.InputTokenCount > 0);
    }

    [TestMethod]
    public async Task OptionsTheModelCannotHonourAreRefused()
    {
        using var client = new KtoChatClient(Transformer);
        var penalty = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(Conversation, new ChatOptions { PresencePenalty = 0.5f }));
        StringAssert.Contains(penalty.Message, ChatOptionsMapping.RepetitionPenaltyKey);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(Conversation, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "image/png")])]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Conversation, new ChatOptions { Temperature = -1 }));
    }

    [TestMethod]
    public void GenerationSettingsFollowTheChatOptions()
    {
        var defaults = new GenerationOptions { MaxNewTokens = 99, DoSample = true, Temperature = 0.7, StopStrings = ["END"] };
        var mapped = ChatOptionsMapping.ToGenerationOptions(new ChatOptions
        {
            TopP = 0.9f,
            TopK = 5,
            MaxOutputTokens = 12,
            StopSequences = ["\n\n"],
            Seed = 42,
            AdditionalProperties = new AdditionalPropertiesDictionary { [ChatOptionsMapping.RepetitionPenaltyKey] = 1.3 },
        }, defaults);
        Assert.AreEqual(defaults with
        {
            TopP = 0.9f,
            TopK = 5,
            MaxNewTokens = 12,
            StopStrings = mapped.StopStrings,
            Seed = 42UL,
            RepetitionPenalty = 1.3,
        }, mapped);
        CollectionAssert.AreEqual(new[] { "END", "\n\n" }, mapped.StopStrings.ToArray());
        Assert.IsFalse(ChatOptionsMapping.ToGenerationOptions(new ChatOptions { Temperature = 0 }, defaults).DoSample);
        Assert.IsTrue(ChatOptionsMapping.ToGenerationOptions(new ChatOptions { TopP = 0.5f }, new GenerationOptions()).DoSample);
        Assert.AreSame(defaults, ChatOptionsMapping.ToGenerationOptions(null, defaults));
    }

    [TestMethod]
    public async Task MiddlewareWrapsTheClientAndMetadataNamesTheModel()
    {
        var logged = new List<string>();
        using var client = new ChatClientBuilder(Transformer.AsIChatClient())
            .Use(async (messages, options, next, cancellationToken) =>
            {
                logged.Add("before");
                await next(messages, options, cancellationToken);
                logged.Add("after");
            })
            .Build();
        var response = await client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 2 });
        CollectionAssert.AreEqual(new[] { "before", "after" }, logged);
        Assert.IsTrue(response.Usage!.OutputTokenCount > 0);

        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.AreEqual(Path.GetFileName(Fixtures.Directory), metadata.DefaultModelId);
        Assert.AreSame(Transformer, client.GetService<KtoTransformer>());
    }

    [TestMethod]
    public void AModelWithoutAChatTemplateIsRefused()
    {
        var directory = Directory.CreateTempSubdirectory("kto-notemplate-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Fixtures.Directory))
            {
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
            }

            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "tokenizer_config.json")))!.AsObject();
            config.Remove("chat_template");
            File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), config.ToJsonString());
            var error = Assert.ThrowsExactly<ArgumentException>(() => KtoChatClient.Load(directory));
            StringAssert.Contains(error.Message, "no chat template");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
