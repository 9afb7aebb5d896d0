using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;

namespace Microsoft.ML.Kto.Cli.Commands;

// ML.NET declares a namespace Microsoft.ML.Command, which would hide System.CommandLine's type from here.
using Command = System.CommandLine.Command;

/// <summary>
/// <c>kto chat</c>: an interactive conversation in the terminal, like <c>trl chat</c>: each reply streams as it is
/// generated; <c>clear</c> starts over, <c>exit</c> (or end of input) quits.
/// </summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Directory("--model", "Model directory with a chat template.");
        var system = new Option<string?>("--system") { Description = "A system message that starts every conversation." };
        var generation = new GenerationFlags();
        var command = new Command("chat", "Chats with a model in the terminal, streaming its replies (commands: clear, exit, help).") { model, system };
        generation.AddTo(command);
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            using var transformer = CommonOptions.LoadModel(result.GetValue(model)!);
            if (transformer.Tokenizer.ChatTemplate is null)
                throw new InvalidOperationException($"'{result.GetValue(model)}' has no chat template, so it cannot hold a conversation; use 'kto generate --raw' to complete text.");
            var options = generation.Apply(result, transformer.DefaultGenerationOptions);
            var messages = NewConversation(result.GetValue(system));
            Console.Error.WriteLine("kto chat: type a message; 'clear' starts over, 'exit' quits.");
            while (true)
            {
                Console.Out.Write("> ");
                var line = Console.In.ReadLine();
                if (line is null || line.Trim() == "exit") return 0;
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
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = line });
                var stream = new TokenStream(transformer.Tokenizer, Console.Out);
                var reply = transformer.Generate([KtoContent.FromMessages(messages)], options, onToken: (_, token) => stream.Add(token))[0];
                stream.Finish();
                Console.Out.WriteLine();
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = reply });
            }
        }));
        return command;
    }

    private static JsonArray NewConversation(string? system) =>
        system is null ? [] : [new JsonObject { ["role"] = "system", ["content"] = system }];
}
