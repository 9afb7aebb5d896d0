using System.CommandLine;

namespace Microsoft.ML.Kto.Cli.Commands;

/// <summary><c>kto generate</c>: prints the model's completion of one prompt.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Directory("--model", "Model directory (Hugging Face layout with tokenizer files).");
        var prompt = new Option<string>("--prompt") { Description = "The prompt.", Required = true };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Tokens to generate at most (default: generation_config.json, else 256)." };
        var temperature = new Option<double?>("--temperature") { Description = "Sample with this temperature (default: greedy unless generation_config.json samples)." };
        var topP = new Option<double?>("--top-p") { Description = "Nucleus sampling threshold." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the sampling." };
        var raw = new Option<bool>("--raw") { Description = "Tokenize the prompt as plain text instead of applying the chat template." };
        var command = new Command("generate", "Prints the completion of a prompt (chat template applied when the tokenizer has one).")
            { model, prompt, maxNewTokens, temperature, topP, seed, raw };
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            using var transformer = KtoTransformer.Load(result.GetValue(model)!);
            var options = transformer.DefaultGenerationOptions;
            if (result.GetValue(maxNewTokens) is { } n) options = options with { MaxNewTokens = n };
            if (result.GetValue(temperature) is { } t) options = options with { DoSample = true, Temperature = t };
            if (result.GetValue(topP) is { } p) options = options with { DoSample = true, TopP = p };
            if (result.GetValue(seed) is { } s) options = options with { Seed = s };
            Console.Out.WriteLine(transformer.Generate(result.GetValue(prompt)!, options, applyChatTemplate: !result.GetValue(raw)));
            return 0;
        }));
        return command;
    }
}
