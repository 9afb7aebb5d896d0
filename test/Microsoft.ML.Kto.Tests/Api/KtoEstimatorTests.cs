using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Tests.Api;

[TestClass]
public sealed class KtoEstimatorTests
{
    private static KtoDataset Data(int rows) => KtoDatasetLoader.Load(TinyKtoFixtures.TextRows(rows).Select(r =>
        new KtoExample { Prompt = r.Prompt.Text!, Completion = r.Completion.Text!, Label = r.Label }));

    [TestMethod]
    public void FitWritesTheModelReportAndCardThatLoadBack()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 31);
        var output = Directory.CreateTempSubdirectory("kto-fit-").FullName;
        try
        {
            var options = new KtoOptions
            {
                OutputDir = output,
                MaxSteps = 4,
                LoggingSteps = 1,
                PerDeviceTrainBatchSize = 4,
                PerDeviceEvalBatchSize = 4,
                LearningRate = 1e-3,
                SaveSteps = 0,
                ReportSampleCount = 2,
            };
            var estimator = new MLContext().TextGeneration.Trainers.Kto(fixtures.Directory, options);
            var greedy = new GenerationOptions { MaxNewTokens = 6 };
            using var fitted = estimator.Fit(Data(16), new Dictionary<string, KtoDataset> { ["eval"] = Data(8) });

            var trainLines = fitted.TrainingLog.Where(l => l.ContainsKey(KtoMetrics.Loss)).ToList();
            Assert.AreEqual(4, trainLines.Count, "one train line per logging step");
            Assert.IsTrue(fitted.TrainingLog.Any(l => l.ContainsKey("eval_loss")));

            var html = File.ReadAllText(Path.Combine(output, "report.html"));
            var plotted = Regex.Matches(html, "<svg class=\"metric-plot\" data-series=\"([^\"]*)\"")
                .SelectMany(m => m.Groups[1].Value.Split(' ')).ToList();
            var series = fitted.TrainingLog.SelectMany(l => l.Keys).Where(k => k is not ("step" or "epoch")).Distinct().Order().ToList();
            CollectionAssert.AreEqual(series, plotted.Order().ToList(), "every metric series is plotted exactly once");
            var sampleTable = html[html.IndexOf("<table class=\"samples\">", StringComparison.Ordinal)..];
            Assert.AreEqual(2, Regex.Matches(sampleTable[..sampleTable.IndexOf("</table>", StringComparison.Ordinal)], "<tr><td class=\"index\">").Count, "ReportSampleCount rows of before/after samples");

            var card = File.ReadAllText(Path.Combine(output, "README.md"));
            StringAssert.Contains(card, $"base_model: \"{fixtures.Directory}\"");
            StringAssert.Contains(card, "| loss |");

            using var loaded = KtoTransformer.Load(output);
            Assert.AreEqual(fitted.Generate("the sky", greedy), loaded.Generate("the sky", greedy), "the saved model is the fitted one");
            Assert.AreEqual(options.Beta, loaded.TrainingOptions!.Beta);
        }
        finally
        {
            Directory.Delete(output, true);
        }
    }

    [TestMethod]
    public void ACancelledFitLeavesACheckpointToResumeFromAndNoFinalModel()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 31);
        var output = Directory.CreateTempSubdirectory("kto-cancel-").FullName;
        try
        {
            var options = new KtoOptions { OutputDir = output, MaxSteps = 4, LoggingSteps = 1, PerDeviceTrainBatchSize = 4, LearningRate = 1e-3, SaveSteps = 0 };
            using var cancellation = new CancellationTokenSource();
            var estimator = new KtoEstimator(fixtures.Directory, options)
            {
                Progress = new SyncProgress(p => { if (p.Phase == "train" && p.Metrics is null && p.Step == 1) { cancellation.Cancel(); } }),
            };
            var ml = new MLContext();
            var rows = TinyKtoFixtures.TextRows(16).Select(r => new { prompt = r.Prompt.Text!, completion = r.Completion.Text!, label = r.Label }).ToList();
            using (var cancelled = estimator.Fit(ml.Data.LoadFromEnumerable(rows), cancellation.Token))
            {
                var summary = cancelled.TrainingSummary!;
                Assert.IsTrue(summary.Cancelled);
                Assert.AreEqual(1, summary.Step);
                Assert.AreEqual(4, summary.PlannedSteps);
                Assert.AreEqual(Path.Combine(output, "checkpoint-1"), summary.LastCheckpoint);
                StringAssert.Contains(summary.ToString(), "cancelled at step 1 of 4; resume from");
                Assert.IsFalse(File.Exists(Path.Combine(output, "config.json")), "no final model that would not say it is unfinished");
                Assert.IsFalse(File.Exists(Path.Combine(output, "README.md")), "no model card either");
            }

            options.ResumeFromCheckpoint = Path.Combine(output, "checkpoint-1");
            estimator.Progress = null;
            using var resumed = estimator.Fit(ml.Data.LoadFromEnumerable(rows));
            Assert.AreEqual("completed 4 of 4 steps", resumed.TrainingSummary!.ToString());
            Assert.IsTrue(File.Exists(Path.Combine(output, "config.json")), "the finished run writes its model");
        }
        finally
        {
            Directory.Delete(output, true);
        }
    }
}
