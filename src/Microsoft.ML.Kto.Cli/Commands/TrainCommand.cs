using System.CommandLine;
using Microsoft.ML.Kto.Data;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto train</c>: KTO training from JSONL files; every <see cref="KtoOptions"/> property is a flag.</summary>
internal static class TrainCommand
{
    /// <summary>Files a finished or running training run leaves in its output directory.</summary>
    private static readonly string[] RunFiles = ["config.json", "metrics.jsonl", "trainer_state.json"];

    public static CliCommand Create()
    {
        var model = CommonOptions.Directory("--model", "Hugging Face model directory to start from (config.json, *.safetensors, tokenizer files).");
        var dataset = new Option<string>("--dataset") { Description = "Training data: JSONL with prompt/completion/label or prompt/chosen/rejected rows.", Required = true };
        var refModel = new Option<string?>("--ref-model") { Description = "Reference model directory (default: a frozen copy of --model)." };
        var evalDataset = new Option<string?>("--eval-dataset") { Description = "Evaluation data (same format)." };
        var overwrite = new Option<bool>("--overwrite-output-dir") { Description = "Replace a previous run in --output-dir (as transformers' overwrite_output_dir)." };
        var flags = KtoOptionFlags.Create();
        flags.OutputDir.Required = true;

        var command = new CliCommand("train", "KTO training on binary feedback; writes metrics.jsonl, checkpoints and the final model to --output-dir.")
        {
            model, dataset, refModel, evalDataset, overwrite,
        };
        foreach (var flag in flags.Flags)
        {
            command.Options.Add(flag);
        }

        command.SetAction((result, cancellation) => Task.FromResult(CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            var options = flags.Read(result);
            options.Validate();
            PrepareOutputDirectory(options, result.GetValue(overwrite));
            var train = KtoDatasetLoader.LoadJsonl(result.GetValue(dataset)!, options.ColumnNames);
            var eval = result.GetValue(evalDataset) is { } evalPath
                ? new Dictionary<string, KtoDataset> { ["eval"] = KtoDatasetLoader.LoadJsonl(evalPath, options.ColumnNames) }
                : null;
            var estimator = new KtoEstimator(result.GetValue(model)!, options, result.GetValue(refModel));
            using var stop = StopSignals.Linked(cancellation);
            using var transformer = ProgressDisplay.Run(progress =>
            {
                estimator.Progress = progress;
                return estimator.Fit(train, eval, stop.Token);
            });
            if (transformer.TrainingSummary is { Cancelled: true } summary)
            {
                Console.Error.WriteLine($"kto: training {summary}");
                return 130; // the shell's code for a process ended by SIGINT
            }
            Console.WriteLine($"model written to {options.OutputDir} (report: {Path.Combine(options.OutputDir!, Reporting.KtoRunReport.FileName)})");
            return 0;
        })));
        return command;
    }

    // Checked before any data is read or any step is taken: training for hours and then failing to write is worse.
    private static void PrepareOutputDirectory(KtoOptions options, bool overwrite)
    {
        var dir = options.OutputDir!;
        if (File.Exists(dir))
        {
            throw new ArgumentException($"--output-dir '{dir}' is a file; point it at a directory (it is created if missing).");
        }

        if (!Directory.Exists(dir) || options.ResumeFromCheckpoint is not null)
        {
            return;
        }

        var previous = RunFiles.Where(f => File.Exists(Path.Combine(dir, f))).Concat(Directory.GetDirectories(dir, "checkpoint-*").Select(Path.GetFileName)).ToList();
        if (previous.Count == 0)
        {
            return;
        }

        if (!overwrite)
        {
            throw new ArgumentException(
                $"--output-dir '{dir}' already holds a run ({string.Join(", ", previous)}). Pass --overwrite-output-dir to replace it, " +
                "--resume-from-checkpoint to continue it, or choose another directory.");
        }
        // metrics.jsonl is appended to, so a replaced run starts it afresh; the rest is overwritten by name.
        File.Delete(Path.Combine(dir, "metrics.jsonl"));
    }
}
