using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Kto.Training;
using static TorchSharp.torch;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary>
/// <c>kto score</c>: the summed completion log-probability of every prepared row under a model (and a reference), the
/// quantities KTO's rewards are made of, one JSON object per line in dataset order.
/// </summary>
internal static class ScoreCommand
{
    public static CliCommand Create()
    {
        var model = CommonOptions.Directory("--model", "Model directory (Hugging Face layout with tokenizer files, or a LoRA adapter directory that kto train wrote).");
        var dataset = new Option<string>("--dataset") { Description = "JSONL with prompt/completion/label or prompt/chosen/rejected rows.", Required = true };
        var refModel = new Option<string?>("--ref-model") { Description = "Reference model: adds ref_logps and reward = beta * (logps - ref_logps)." };
        var beta = new Option<double>("--beta") { DefaultValueFactory = _ => new KtoOptions().Beta, Description = "β of the reward." };
        var maxLength = new Option<int>("--max-length") { DefaultValueFactory = _ => 0, Description = "Truncate or drop rows as training would (0: no limit)." };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 8, Description = "Rows per forward pass." };
        var command = new CliCommand("score", "Prints one JSON object per prepared row: logps, num_completion_tokens (and ref_logps, reward with --ref-model).")
            { model, dataset, refModel, beta, maxLength, batchSize };
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            if (result.GetValue(batchSize) < 1)
            {
                throw new ArgumentException("--batch-size must be at least 1.");
            }

            var tokenizer = HfTokenizer.FromDirectory(result.GetValue(model)!);
            var padTokenId = tokenizer.GetPaddingTokenId();
            var data = KtoDatasetLoader.LoadJsonl(result.GetValue(dataset)!);
            var limit = result.GetValue(maxLength) is > 0 and var m ? (int?)m : null;
            var (examples, report) = new KtoDatasetPreparer(new PromptCompletionEncoder(tokenizer), limit).Prepare(data.Rows);
            foreach (var warning in report.Warnings())
            {
                Console.Error.WriteLine($"kto: {warning}");
            }
            // Dataset order: by source row, a pair's chosen completion before its rejected one.
            var ordered = examples.OrderBy(e => e.SourceRow).ThenByDescending(e => e.Label).ToList();

            var (logps, tokenCounts) = Score(result.GetValue(model)!, ordered, padTokenId, limit, result.GetValue(batchSize));
            var refLogps = result.GetValue(refModel) is { } refDir ? Score(refDir, ordered, padTokenId, limit, result.GetValue(batchSize)).LogProbs : null;
            for (var i = 0; i < ordered.Count; i++)
            {
                var line = new JsonObject
                {
                    ["row"] = ordered[i].SourceRow,
                    ["label"] = ordered[i].Label,
                    ["logps"] = logps[i],
                    ["num_completion_tokens"] = tokenCounts[i],
                };
                if (refLogps is not null)
                {
                    line["ref_logps"] = refLogps[i];
                    line["reward"] = result.GetValue(beta) * (logps[i] - refLogps[i]);
                }
                Console.Out.WriteLine(line.ToJsonString());
            }
            return 0;
        }));
        return command;
    }

    private static (double[] LogProbs, long[] TokenCounts) Score(string directory, IReadOnlyList<PreparedExample> examples, int padTokenId, int? maxLength, int batchSize)
    {
        // Through KtoTransformer.Load, so a LoRA adapter directory scores as its base model with the adapter on.
        using var loaded = KtoTransformer.Load(directory);
        var model = loaded.Model;
        var collator = new KtoCollator(padTokenId, maxLength, model.Device);
        using var noGrad = no_grad();
        var scores = new List<double>(examples.Count);
        var counts = new List<long>(examples.Count);
        foreach (var chunk in examples.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var batch = collator.Collate(chunk, withKl: false);
            var scored = CompletionLogProbs.Compute(model, batch.InputIds, batch.AttentionMask, batch.CompletionMask);
            scores.AddRange(scored.LogProbs.to(ScalarType.Float64).cpu().data<double>());
            counts.AddRange(scored.TokenCounts);
        }
        return (scores.ToArray(), counts.ToArray());
    }
}
