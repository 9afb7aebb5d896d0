using System.CommandLine;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Cli.Commands;

// ML.NET declares a namespace Microsoft.ML.Command, which would hide System.CommandLine's type from here.
using Command = System.CommandLine.Command;

/// <summary><c>kto train</c>: KTO on a JSONL dataset, one kebab-case flag per <see cref="KtoOptions"/> member.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Directory("--model", "Hugging Face model directory to start from (config.json, *.safetensors, tokenizer files).");
        var dataset = new Option<string>("--dataset") { Description = "Training data: JSONL with prompt/completion/label or prompt/chosen/rejected rows.", Required = true };
        var outputDir = new Option<string>("--output-dir") { Description = "Where metrics.jsonl, checkpoints and the final model are written.", Required = true };
        var refModel = new Option<string?>("--ref-model") { Description = "Reference model directory (default: a frozen copy of --model)." };
        var evalDataset = new Option<string?>("--eval-dataset") { Description = "Evaluation data (same format)." };
        var defaults = new KtoOptions();
        var beta = new Option<double>("--beta") { Description = "β: higher stays closer to the reference.", DefaultValueFactory = _ => defaults.Beta };
        var lossType = new Option<string>("--loss-type") { Description = "kto or apo_zero_unpaired.", DefaultValueFactory = _ => "kto" };
        var desirableWeight = new Option<double>("--desirable-weight") { DefaultValueFactory = _ => defaults.DesirableWeight, Description = "Weight of desirable examples' losses." };
        var undesirableWeight = new Option<double>("--undesirable-weight") { DefaultValueFactory = _ => defaults.UndesirableWeight, Description = "Weight of undesirable examples' losses." };
        var maxLength = new Option<int>("--max-length") { DefaultValueFactory = _ => defaults.MaxLength ?? 0, Description = "Maximum prompt+completion tokens (0: no limit)." };
        var batchSize = new Option<int>("--per-device-train-batch-size") { DefaultValueFactory = _ => defaults.PerDeviceTrainBatchSize, Description = "Examples per micro-batch (>= 2 for kto)." };
        var evalBatchSize = new Option<int>("--per-device-eval-batch-size") { DefaultValueFactory = _ => defaults.PerDeviceEvalBatchSize, Description = "Examples per evaluation batch." };
        var accumulation = new Option<int>("--gradient-accumulation-steps") { DefaultValueFactory = _ => defaults.GradientAccumulationSteps, Description = "Micro-batches per optimizer step." };
        var learningRate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => defaults.LearningRate, Description = "Peak AdamW learning rate." };
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => defaults.WeightDecay, Description = "AdamW weight decay." };
        var maxGradNorm = new Option<double>("--max-grad-norm") { DefaultValueFactory = _ => defaults.MaxGradNorm, Description = "Gradient clipping norm." };
        var epochs = new Option<double>("--num-train-epochs") { DefaultValueFactory = _ => defaults.NumTrainEpochs, Description = "Passes over the data." };
        var maxSteps = new Option<int>("--max-steps") { DefaultValueFactory = _ => defaults.MaxSteps, Description = "Optimizer steps (overrides epochs when > 0)." };
        var warmupRatio = new Option<double>("--warmup-ratio") { DefaultValueFactory = _ => defaults.WarmupRatio, Description = "Fraction of steps of linear warm-up." };
        var warmupSteps = new Option<int>("--warmup-steps") { DefaultValueFactory = _ => defaults.WarmupSteps, Description = "Warm-up steps (overrides the ratio when > 0)." };
        var precompute = new Option<bool>("--precompute-ref-log-probs") { Description = "Compute reference log-probs once before training, then release the reference model." };
        var loggingSteps = new Option<int>("--logging-steps") { DefaultValueFactory = _ => defaults.LoggingSteps, Description = "Steps between metric logs." };
        var saveSteps = new Option<int>("--save-steps") { DefaultValueFactory = _ => defaults.SaveSteps, Description = "Steps between checkpoints (0: none)." };
        var saveTotalLimit = new Option<int?>("--save-total-limit") { Description = "Checkpoints to keep." };
        var evalSteps = new Option<int?>("--eval-steps") { Description = "Steps between evaluations (default: logging steps)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed, Description = "Random seed." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => defaults.Device, Description = "cpu, cuda or cuda:N." };
        var dtype = new Option<string>("--dtype") { DefaultValueFactory = _ => defaults.DType, Description = "float32, bfloat16 or float16." };
        var resume = new Option<string?>("--resume-from-checkpoint") { Description = "Checkpoint directory to resume from." };

        var command = new Command("train", "KTO training on binary feedback; writes metrics.jsonl, checkpoints and the final model to --output-dir.")
        {
            model, dataset, outputDir, refModel, evalDataset, beta, lossType, desirableWeight, undesirableWeight, maxLength, batchSize,
            evalBatchSize, accumulation, learningRate, weightDecay, maxGradNorm, epochs, maxSteps, warmupRatio, warmupSteps, precompute,
            loggingSteps, saveSteps, saveTotalLimit, evalSteps, seed, device, dtype, resume,
        };
        command.SetAction((result, cancellation) => Task.FromResult(CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            var options = new KtoOptions
            {
                Beta = result.GetValue(beta),
                LossType = KtoLossTypeNames.Parse(result.GetValue(lossType)!),
                DesirableWeight = result.GetValue(desirableWeight),
                UndesirableWeight = result.GetValue(undesirableWeight),
                MaxLength = result.GetValue(maxLength) is > 0 and var m ? m : null,
                PerDeviceTrainBatchSize = result.GetValue(batchSize),
                PerDeviceEvalBatchSize = result.GetValue(evalBatchSize),
                GradientAccumulationSteps = result.GetValue(accumulation),
                LearningRate = result.GetValue(learningRate),
                WeightDecay = result.GetValue(weightDecay),
                MaxGradNorm = result.GetValue(maxGradNorm),
                NumTrainEpochs = result.GetValue(epochs),
                MaxSteps = result.GetValue(maxSteps),
                WarmupRatio = result.GetValue(warmupRatio),
                WarmupSteps = result.GetValue(warmupSteps),
                PrecomputeRefLogProbs = result.GetValue(precompute),
                LoggingSteps = result.GetValue(loggingSteps),
                SaveSteps = result.GetValue(saveSteps),
                SaveTotalLimit = result.GetValue(saveTotalLimit),
                EvalSteps = result.GetValue(evalSteps),
                OutputDir = result.GetValue(outputDir),
                Seed = result.GetValue(seed),
                Device = result.GetValue(device)!,
                DType = result.GetValue(dtype)!,
                ResumeFromCheckpoint = result.GetValue(resume),
            };
            options.Validate();
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
}
