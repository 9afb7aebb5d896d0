// A tuned model used where .NET AI code lives: as a Microsoft.Extensions.AI IChatClient, wrapped with middleware by
// ChatClientBuilder (logging, and a small custom step that reports token usage), answering once and then streaming.
//
// Usage: dotnet run --project samples/ChatClient [MODEL_DIR]
// MODEL_DIR is any saved model directory with a chat template (e.g. one `kto train` wrote). Without it, a tiny random
// byte-level Llama with a ChatML template is made in a temporary folder, so the sample runs anywhere (its answers are
// noise; point MODEL_DIR at a real model for real ones).
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.Kto.Chat;
using Microsoft.ML.Kto.Samples.Arithmetic;

const string ChatML =
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}" +
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

var modelDirectory = args.Length > 0 ? args[0] : Path.Combine(Directory.CreateTempSubdirectory("kto-chat-").FullName, "model");
if (args.Length == 0)
{
    DemoModel.Create(modelDirectory, hiddenSize: 64, layers: 2, seed: 7, chatTemplate: ChatML);
}

using var loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug));
using IChatClient client = new ChatClientBuilder(KtoChatClient.Load(modelDirectory))
    .UseLogging(loggers)
    .Use(async (messages, options, next, cancellationToken) =>
    {
        var started = DateTime.UtcNow;
        await next(messages, options, cancellationToken);
        Console.WriteLine($"[middleware] call took {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms");
    })
    .Build();

List<ChatMessage> conversation =
[
    new(ChatRole.System, "You are a terse assistant."),
    new(ChatRole.User, "What is 12+30?"),
];
var options = new ChatOptions { MaxOutputTokens = 24, Temperature = 0.7f, TopP = 0.95f, Seed = 1, StopSequences = ["<|im_end|>"] };

var response = await client.GetResponseAsync(conversation, options);
Console.WriteLine($"answer: {response.Text}");
Console.WriteLine($"finish: {response.FinishReason}, tokens in/out: {response.Usage?.InputTokenCount}/{response.Usage?.OutputTokenCount}, model: {response.ModelId}");
conversation.AddMessages(response);

conversation.Add(new ChatMessage(ChatRole.User, "And 40+40?"));
Console.Write("streamed: ");
await foreach (var update in client.GetStreamingResponseAsync(conversation, options))
{
    Console.Write(update.Text);
}

Console.WriteLine();
