using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Reporting;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;

namespace Microsoft.ML.Kto;

/// <summary>
/// Fits a causal language model with KTO on binary feedback (ML.NET's estimator role): <see cref="Fit"/> prepares
/// the data, trains, writes the final model to <see cref="KtoOptions.OutputDir"/> when set, and returns the
/// <see cref="KtoTransformer"/> that generates with the aligned model.
/// </summary>
public sealed class KtoEstimator
{
    private readonly string _modelDirectory;
    private readonly string? _referenceModelDirectory;

    /// <summary>Creates the estimator for a Hugging Face model directory (config.json, *.safetensors, tokenizer files).</summary>
    /// <param name="modelDirectory">The policy's starting point.</param>
    /// <param name="options">Training options (TRL's names and defaults).</param>
    /// <param name="referenceModelDirectory">An explicit reference model; by default a frozen copy of the starting policy.</param>
    public KtoEstimator(string modelDirectory, KtoOptions? options = null, string? referenceModelDirectory = null)
    {
        _modelDirectory = modelDirectory;
        _referenceModelDirectory = referenceModelDirectory;
        Options = options ?? new KtoOptions();
    }

    /// <summary>The options used by <see cref="Fit"/>.</summary>
    public KtoOptions Options { get; }

    /// <summary>Receives preparation, training and evaluation progress, metrics and warnings.</summary>
    public IProgress<KtoProgress>? Progress { get; set; }

    /// <summary>Trains on <paramref name="train"/> (and evaluates on <paramref name="eval"/> sets, keyed by name).</summary>
    public KtoTransformer Fit(KtoDataset train, IReadOnlyDictionary<string, KtoDataset>? eval = null, CancellationToken cancellation = default)
    {
        Options.Validate();
        TorchRuntime.UseAllCoresUnlessConfigured();
        var device = TorchTypes.ParseDevice(Options.Device);
        var dtype = TorchTypes.ParseDType(Options.DType);
        var tokenizer = HfTokenizer.FromDirectory(_modelDirectory);
        var padTokenId = tokenizer.GetPaddingTokenId();
        foreach (var warning in train.Balance.GetWarnings(Options.DesirableWeight, Options.UndesirableWeight)) Warn(warning);

        var encoder = new PromptCompletionEncoder(tokenizer);
        var trainExamples = Prepare(encoder, train, "train", Options.PerDeviceTrainBatchSize);
        var evalExamples = eval?.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<PreparedExample>)Prepare(encoder, kv.Value, kv.Key, Options.PerDeviceEvalBatchSize));

        var policy = CausalLM.FromPretrained(_modelDirectory, dtype, device);
        var referenceModel = CausalLM.FromPretrained(_referenceModelDirectory ?? _modelDirectory, dtype, device);
        IReferenceLogProbs reference = new FrozenReferenceModel(referenceModel);
        if (Options.PrecomputeRefLogProbs)
        {
            var collator = new KtoCollator(padTokenId, Options.MaxLength, device);
            var withKl = Options.LossType == KtoLossType.Kto;
            var batch = Options.PrecomputeRefBatchSize ?? Options.PerDeviceTrainBatchSize;
            var precomputed = new PrecomputedReferenceLogProbs();
            precomputed.Add(trainExamples, reference, collator, batch, withKl, ItemProgress("reference", trainExamples.Count));
            foreach (var set in evalExamples?.Values ?? Enumerable.Empty<IReadOnlyList<PreparedExample>>()) precomputed.Add(set, reference, collator, batch, withKl);
            referenceModel.Dispose(); // the point of precomputing: the reference no longer occupies memory
            reference = precomputed;
        }

        var transformer = new KtoTransformer(policy, tokenizer, _modelDirectory, Options);
        try
        {
            var samplePrompts = Options.OutputDir is null ? [] : SamplePrompts(eval?.Values.FirstOrDefault() ?? train);
            var before = samplePrompts.Select(transformer.CompleteForReport).ToList();
            using (var trainer = new KtoTrainer(policy, reference, Options, padTokenId))
            {
                trainer.Train(trainExamples, evalExamples, Progress, cancellation);
                transformer.TrainingLog = trainer.State.LogHistory;
            }
            policy.SetRequiresGrad(false);
            if (Options.OutputDir is { } output)
            {
                transformer.Save(output);
                var samples = samplePrompts.Select((row, i) => new ReportSample(row.Prompt.ToString(), before[i], transformer.CompleteForReport(row))).ToList();
                KtoRunReport.Write(output, new KtoRunRecord
                {
                    BaseModel = _modelDirectory, Options = Options, DatasetName = train.SourcePath, Balance = train.Balance,
                    LogHistory = transformer.TrainingLog, Samples = samples,
                });
            }
            return transformer;
        }
        catch
        {
            transformer.Dispose();
            throw;
        }
        finally
        {
            if (!Options.PrecomputeRefLogProbs) referenceModel.Dispose();
        }
    }

    private List<KtoRow> SamplePrompts(KtoDataset data) =>
        data.Rows.DistinctBy(r => r.Prompt.ToString()).Take(Options.ReportSampleCount).ToList();

    private List<PreparedExample> Prepare(PromptCompletionEncoder encoder, KtoDataset data, string name, int batchSize)
    {
        var preparer = new KtoDatasetPreparer(encoder, Options.MaxLength);
        var (examples, report) = preparer.Prepare(data.Rows, ItemProgress("prepare", data.Rows.Count));
        foreach (var warning in report.Warnings()) Warn($"{name}: {warning}");
        if (examples.Count == 0)
            throw new KtoDataException($"The {name} dataset has no rows left after preparation ({report.DroppedPromptTooLong} dropped for prompts reaching MaxLength={Options.MaxLength}). Raise MaxLength or shorten the prompts.");
        return KlCompletions.Assign(examples, batchSize);
    }

    private IProgress<int>? ItemProgress(string phase, int total) =>
        Progress is null ? null : new Progress<int>(done => Progress.Report(new KtoProgress(phase, done, total)));

    private void Warn(string message) => Progress?.Report(new KtoProgress("prepare", 0, 0, Message: message));
}
