using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Reporting;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>What the demo measured and where it wrote the aligned model.</summary>
public sealed record DemoResult(double SuccessRateBefore, double SuccessRateAfter, double SampledSuccessRateBefore, double SampledSuccessRateAfter,
    string OutputDir, TimeSpan Elapsed);

/// <summary>
/// KTO end to end on a task with a checkable answer: a small Llama model learns two-digit addition from a sloppy
/// teacher who usually forgets the carry, then samples its own answers, gets thumbs up/down from a checker, and is
/// aligned with KTO. Success on held-out sums (never seen in pre-training or feedback) is measured before and after.
/// </summary>
public sealed class ArithmeticDemo
{
    /// <summary>Seed of the model, data split, teacher and sampling.</summary>
    public int Seed { get; init; } = 2026;
    /// <summary>Held-out problems for measuring success.</summary>
    public int HeldOutProblems { get; init; } = 256;
    /// <summary>Model width (heads of 16 dimensions).</summary>
    public int HiddenSize { get; init; } = 64;
    /// <summary>Decoder layers.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Pre-training optimizer steps.</summary>
    public int PretrainSteps { get; init; } = 1500;
    /// <summary>Share of the pre-training teacher's answers that are correct.</summary>
    public double TeacherCorrectRate { get; init; } = 0.3;
    /// <summary>Problems whose answers are sampled for feedback.</summary>
    public int FeedbackProblems { get; init; } = 512;
    /// <summary>Answers sampled per feedback problem.</summary>
    public int SamplesPerProblem { get; init; } = 4;
    /// <summary>The KTO options (output directory filled in by <see cref="Run"/>).</summary>
    public KtoOptions Kto { get; init; } = new()
    {
        // A high beta keeps the policy near the model that produced the samples; with beta 0.1 it drifted into new
        // wrong answers (held-out success 16% instead of 100% in our runs).
        Beta = 1.0,
        LearningRate = 3e-4,
        PerDeviceTrainBatchSize = 32,
        NumTrainEpochs = 2,
        WarmupRatio = 0.1,
        MaxLength = 32,
        LoggingSteps = 5,
        ReportSampleCount = 0, // the demo's report shows its own checked samples instead
    };

    /// <summary>Runs every stage, writing progress lines to <paramref name="log"/> and the models under <paramref name="outputDir"/>.</summary>
    public DemoResult Run(string outputDir, TextWriter log, IProgress<KtoProgress>? progress = null)
    {
        // The model is so small that two threads spend more time synchronising than computing: one thread ran the
        // whole demo twice as fast on two cores.
        var threads = TorchRuntime.NumThreads;
        TorchRuntime.NumThreads = 1;
        try
        {
            return RunStages(outputDir, log, progress);
        }
        finally
        {
            TorchRuntime.NumThreads = threads;
        }
    }

    private DemoResult RunStages(string outputDir, TextWriter log, IProgress<KtoProgress>? progress)
    {
        var clock = Stopwatch.StartNew();
        var problems = ArithmeticProblem.AllWithCarry(Seed);
        if (PretrainSteps < 1)
        {
            throw new ArgumentException($"PretrainSteps must be at least 1 (got {PretrainSteps}).");
        }

        if (HeldOutProblems < 1 || FeedbackProblems < 1 || HeldOutProblems + FeedbackProblems > problems.Length)
        {
            throw new ArgumentException($"HeldOutProblems ({HeldOutProblems}) and FeedbackProblems ({FeedbackProblems}) must be at least 1 and together at most the {problems.Length} sums there are.");
        }

        var heldOut = problems[..HeldOutProblems];
        var training = problems[HeldOutProblems..];
        var baseDir = Path.Combine(outputDir, "base-model");
        log.WriteLine($"[1/4] Pre-training a {Layers}-layer Llama (hidden {HiddenSize}) on {training.Length} sums written by a teacher who forgets the carry {1 - TeacherCorrectRate:P0} of the time");
        Pretrain(baseDir, training, log);

        var ml = new MLContext(seed: Seed);
        var greedy = new GenerationOptions { MaxNewTokens = 6 };
        var sampling = greedy with { DoSample = true, Temperature = 1.0, TopK = 0, Seed = (ulong)Seed };
        SuccessRate before, beforeSampled;
        List<KtoExample> feedback;
        using (var baseModel = KtoTransformer.Load(baseDir))
        {
            before = SuccessRate.Measure(ml, baseModel, heldOut, greedy);
            beforeSampled = SuccessRate.Measure(ml, baseModel, heldOut, sampling);
            log.WriteLine($"      held-out success before KTO: {before.Rate:P1} greedy, {beforeSampled.Rate:P1} sampled");
            log.WriteLine($"[2/4] Sampling {SamplesPerProblem} answers to each of {FeedbackProblems} training sums; the checker labels each 👍 or 👎");
            feedback = CheckerFeedback.Collect(ml, baseModel, training[..FeedbackProblems], SamplesPerProblem, sampling);
        }
        var dataset = KtoDatasetLoader.Load(feedback);
        log.WriteLine($"      {dataset.Balance.DesirableCount} desirable, {dataset.Balance.UndesirableCount} undesirable");

        log.WriteLine($"[3/4] KTO (beta {Kto.Beta}, learning rate {Kto.LearningRate}, {Kto.NumTrainEpochs} epochs)");
        Kto.OutputDir = outputDir;
        Kto.Seed = Seed;
        Kto.DesirableWeight = ImbalanceWeight(dataset.Balance);
        // The ML.NET shape: feedback rows as an IDataView, an ML.NET transform, then the KTO estimator.
        var feedbackRows = ml.Data.LoadFromEnumerable(feedback.Select(f => new FeedbackRow { Question = f.Prompt, Completion = f.Completion, Label = f.Label }));
        var estimator = ml.TextGeneration.Trainers.Kto(baseDir, Kto);
        estimator.Progress = progress;
        var pipeline = ml.Transforms.CopyColumns("prompt", "question").Append(estimator);
        using var aligned = pipeline.Fit(feedbackRows).LastTransformer;

        var after = SuccessRate.Measure(ml, aligned, heldOut, greedy);
        var afterSampled = SuccessRate.Measure(ml, aligned, heldOut, sampling);
        // One at a time through ML.NET's PredictionEngine, from the model as saved and loaded back.
        using var reloaded = KtoTransformer.Load(outputDir);
        reloaded.TransformOptions = aligned.TransformOptions with { Generation = greedy };
        var engine = ml.Model.CreatePredictionEngine<QuestionRow, AnswerRow>(reloaded);
        var result = new DemoResult(before.Rate, after.Rate, beforeSampled.Rate, afterSampled.Rate, outputDir, clock.Elapsed);
        log.WriteLine($"[4/4] Held-out success: {before.Rate:P1} → {after.Rate:P1} greedy, {beforeSampled.Rate:P1} → {afterSampled.Rate:P1} sampled ({clock.Elapsed.TotalSeconds:F0} s)");
        var samples = heldOut.Take(8).Select((p, i) =>
        {
            var answer = engine.Predict(new QuestionRow { Prompt = p.Prompt }).Answer;
            return new ReportSample(p.Prompt, before.Completions[i], answer, Verdict(p, before.Completions[i]), Verdict(p, answer));
        }).ToList();
        foreach (var s in samples)
        {
            log.WriteLine($"      {s.Prompt,-7} before {s.Before,-4} {s.BeforeVerdict,-4}  after {s.After,-4} {s.AfterVerdict}");
        }

        KtoRunReport.Write(outputDir, new KtoRunRecord
        {
            BaseModel = baseDir,
            Options = Kto.ToTrlNames(),
            DatasetName = "the base model's own answers, labelled by the checker",
            Balance = dataset.Balance,
            LogHistory = aligned.TrainingLog,
            Samples = samples,
            Results = Results(result),
        });
        return result;
    }

    private static List<KeyValuePair<string, string>> Results(DemoResult r) =>
    [
        new("held-out success (greedy)", $"{r.SuccessRateBefore:P1} → {r.SuccessRateAfter:P1}"),
        new("held-out success (sampled)", $"{r.SampledSuccessRateBefore:P1} → {r.SampledSuccessRateAfter:P1}"),
    ];

    private void Pretrain(string baseDir, IReadOnlyList<ArithmeticProblem> training, TextWriter log)
    {
        DemoModel.Create(baseDir, HiddenSize, Layers, (ulong)Seed);
        var tokenizer = HfTokenizer.FromDirectory(baseDir);
        using var model = CausalLM.FromPretrained(baseDir);
        var pretraining = new SloppyTeacherPretraining(new PromptCompletionEncoder(tokenizer), tokenizer.PadTokenId!.Value)
        { Steps = PretrainSteps, CorrectRate = TeacherCorrectRate };
        pretraining.Train(model, training, Seed, (step, loss) => log.WriteLine($"      step {step}/{PretrainSteps}  loss {loss:F3}"));
        model.SaveTo(baseDir);
    }

    // TRL's guidance: desirable_weight * n_desirable / (undesirable_weight * n_undesirable) should lie in [1, 4/3].
    private static double ImbalanceWeight(ClassBalance balance) =>
        balance.DesirableCount == 0 ? 1 : Math.Max(1.0, (double)balance.UndesirableCount / balance.DesirableCount);

    private static string Verdict(ArithmeticProblem problem, string completion) => problem.IsCorrect(completion) ? "pass" : "fail";

    /// <summary>The last stdout line of the demo: the numbers a script reads.</summary>
    public static string ToJson(DemoResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"success_rate_before\": {result.SuccessRateBefore:0.####}, \"success_rate_after\": {result.SuccessRateAfter:0.####}, " +
        $"\"sampled_success_rate_before\": {result.SampledSuccessRateBefore:0.####}, \"sampled_success_rate_after\": {result.SampledSuccessRateAfter:0.####}, " +
        $"\"output_dir\": {System.Text.Json.JsonSerializer.Serialize(Path.GetFullPath(result.OutputDir))}}}");
}
