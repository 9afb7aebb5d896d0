using System.CommandLine;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.ML.Kto.Chat;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary>
/// <c>kto chat</c>: an interactive conversation in the terminal, like <c>trl chat</c>, run on the model's
/// <see cref="KtoChatClient"/>: each reply streams as it is generated; <c>clear</c> starts over, <c>exit</c> (or end
/// of input) quits.
/// </summary>
internal static class ChatCommand
{
    public static CliCommand Create()
    {
        var model = CommonOptions.Directory("--model", "Model directory with a chat template.");
        var system = new Option<string?>("--system") { Description = "A system message that starts every conversation." };
        var generation = new GenerationFlags();
        var command = new CliCommand("chat", "Chats with a model in the terminal, streaming its replies (commands: clear, exit, help).") { model, system };
        generation.AddTo(command);
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            using var transformer = CommonOptions.LoadModel(result.GetValue(model)!);
            if (transformer.Tokenizer.ChatTemplate is null)
            {
                throw new InvalidOperationException($"'{result.GetValue(model)}' has no chat template, so it cannot hold a conversation; use 'kto generate --raw' to complete text.");
            }

            using var client = new KtoChatClient(transformer);
            var options = generation.ToChatOptions(result);
            var messages = NewConversation(result.GetValue(system));
            Console.Error.WriteLine("kto chat: type a message; 'clear' starts over, 'exit' quits.");
            while (true)
            {
                Console.Out.Write("> ");
                var line = Console.In.ReadLine();
                if (line is null || line.Trim() == "exit")
                {
                    return 0;
                }

                switch (line.Trim())
                {
                    case "": continue;
                    case "clear":
                        messages = NewConversation(result.GetValue(system));
                        Console.Out.WriteLine("(conversation cleared)");
                        continue;
                    case "help":
                        Console.Out.WriteLine("clear: start a new conversation; exit: quit; anything else is sent to the model.");
                        continue;
                }
                messages.Add(new ChatMessage(ChatRole.User, line));
                var reply = new StringBuilder();
                foreach (var update in client.GetStreamingResponseAsync(messages, options).ToBlockingEnumerable())
                {
                    Console.Out.Write(update.Text);
                    Console.Out.Flush();
                    reply.Append(update.Text);
                }
                Console.Out.WriteLine();
                messages.Add(new ChatMessage(ChatRole.Assistant, reply.ToString()));
            }
        }));
        return command;
    }

    private static List<ChatMessage> NewConversation(string? system) =>
        system is null ? [] : [new ChatMessage(ChatRole.System, system)];
}
