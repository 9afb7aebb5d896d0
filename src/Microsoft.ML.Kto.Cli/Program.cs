using System.CommandLine;
using Microsoft.ML.Kto.Cli.Commands;
using Microsoft.ML.Kto.Torch;

TorchRuntime.UseAllCoresUnlessConfigured();
TorchRuntime.UseCachingAllocator();

var root = new RootCommand("kto: KTO fine-tuning of Hugging Face causal language models for .NET.")
{
    CommonOptions.Verbose,
};
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(ChatTemplateCommand.Create());
root.Subcommands.Add(EnvCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
