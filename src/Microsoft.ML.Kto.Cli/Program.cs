using System.CommandLine;
using Microsoft.ML.Kto.Cli;
using Microsoft.ML.Kto.Cli.Commands;
using Microsoft.ML.Kto.Models;

// The CLI is an application, so it chooses process-wide settings the library leaves alone (README "Engine"):
// huge pages for libtorch's large CPU allocations (before the first tensor; THP_MEM_ALLOC_ENABLE=0 opts out) and
// one thread per physical core unless OMP_NUM_THREADS says otherwise.
NativeEnvironment.SetDefault(NativeEnvironment.TransparentHugePages, "1");
TorchRuntime.UseAllCoresUnlessConfigured();

var root = new RootCommand("kto: KTO fine-tuning of Hugging Face causal language models for .NET.")
{
    CommonOptions.Verbose,
};
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(ChatTemplateCommand.Create());
root.Subcommands.Add(EnvCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
