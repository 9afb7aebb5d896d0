using System.CommandLine;
using System.Text.Json;
using Microsoft.ML.Kto.Tokenization;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto tokenize</c>: one JSON array of ids per input line.</summary>
internal static class TokenizeCommand
{
    public static CliCommand Create()
    {
        var tokenizer = CommonOptions.Directory("--tokenizer", "Directory with tokenizer.json (and tokenizer_config.json).");
        var special = new Option<bool>("--add-special-tokens") { Description = "Add the special tokens the tokenizer's post-processor adds (e.g. BOS)." };
        var jsonl = new Option<bool>("--jsonl") { Description = "Each input line is a JSON string (so texts may contain newlines)." };
        var command = new CliCommand("tokenize", "Reads text lines on stdin and writes one JSON array of token ids per line.") { tokenizer, special, jsonl };
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            var hf = HfTokenizer.FromDirectory(result.GetValue(tokenizer)!);
            var addSpecial = result.GetValue(special);
            var isJsonl = result.GetValue(jsonl);
            var lineNumber = 0;
            while (Console.In.ReadLine() is { } line)
            {
                lineNumber++;
                var text = isJsonl ? ParseJsonString(line, lineNumber) : line;
                Console.Out.WriteLine(JsonSerializer.Serialize(hf.EncodeToIds(text, addSpecial)));
            }
            return 0;
        }));
        return command;
    }

    private static string ParseJsonString(string line, int lineNumber)
    {
        try
        {
            return JsonSerializer.Deserialize<string>(line) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"stdin line {lineNumber} is not a JSON string (with --jsonl each line must look like \"text\").");
        }
    }
}
