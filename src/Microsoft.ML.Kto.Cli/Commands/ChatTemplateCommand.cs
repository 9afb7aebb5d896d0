using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Tokenization;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto chat-template</c>: prints a conversation rendered with the tokenizer's chat template, exactly.</summary>
internal static class ChatTemplateCommand
{
    public static CliCommand Create()
    {
        var tokenizer = CommonOptions.Directory("--tokenizer", "Directory with tokenizer_config.json holding chat_template (or chat_template.jinja).");
        var messages = new Option<string>("--messages") { Description = "JSON file with the list of messages.", Required = true };
        var tools = new Option<string?>("--tools") { Description = "JSON file with the list of tool schemas." };
        var generationPrompt = new Option<bool>("--add-generation-prompt") { Description = "End with the assistant header, ready for generation." };
        var kwargs = new Option<string?>("--kwargs") { Description = "JSON object of extra template variables, e.g. {\"enable_thinking\": false}." };
        var command = new CliCommand("chat-template", "Renders messages with the chat template and prints the text exactly (no newline added).")
            { tokenizer, messages, tools, generationPrompt, kwargs };
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            var hf = HfTokenizer.FromDirectory(result.GetValue(tokenizer)!);
            var source = hf.ChatTemplate ?? throw new InvalidOperationException($"'{result.GetValue(tokenizer)}' has no chat template.");
            var messageList = ReadJson<JsonArray>(result.GetValue(messages)!, "a JSON array of messages");
            var toolList = result.GetValue(tools) is { } toolsPath ? ReadJson<JsonArray>(toolsPath, "a JSON array of tool schemas") : null;
            var extra = result.GetValue(kwargs) is { } k ? ParseObject(k) : null;
            var text = new ChatTemplate(source).Render(messageList, toolList, result.GetValue(generationPrompt), hf.BosToken, hf.EosToken,
                extra?.ToDictionary(p => p.Key, p => p.Value?.DeepClone()));
            Console.Out.Write(text);
            return 0;
        }));
        return command;
    }

    private static T ReadJson<T>(string path, string expected) where T : JsonNode
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.");
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as T ?? throw new InvalidDataException($"'{path}' must hold {expected}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}");
        }
    }

    private static JsonObject ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException("--kwargs must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"--kwargs is not valid JSON: {e.Message}");
        }
    }
}
