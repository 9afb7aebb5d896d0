using System.CommandLine;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto generate</c>: prints the model's completion of one prompt.</summary>
internal static class GenerateCommand
{
    public static CliCommand Create()
    {
        var model = CommonOptions.Model();
        var prompt = new Option<string>("--prompt") { Description = "The prompt.", Required = true };
        var raw = new Option<bool>("--raw") { Description = "Tokenize the prompt as plain text instead of applying the chat template." };
        var generation = new GenerationFlags();
        var command = new CliCommand("generate", "Prints the completion of a prompt (chat template applied when the tokenizer has one).") { model, prompt, raw };
        generation.AddTo(command);
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            using var transformer = CommonOptions.LoadModel(result.GetValue(model)!);
            var options = generation.Apply(result, transformer.DefaultGenerationOptions);
            Console.Out.WriteLine(transformer.Generate(result.GetValue(prompt)!, options, applyChatTemplate: !result.GetValue(raw)));
            return 0;
        }));
        return command;
    }
}
