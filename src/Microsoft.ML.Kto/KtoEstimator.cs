using Microsoft.ML.Data;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.DataViews;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Lora;
using Microsoft.ML.Kto.Reporting;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Kto.Training;
using Microsoft.ML.Kto.Training.Reference;

namespace Microsoft.ML.Kto;

/// <summary>
/// Fits a causal language model with KTO on binary feedback (ML.NET's estimator role): <see cref="Fit(KtoDataset, IReadOnlyDictionary{string, KtoDataset}?, CancellationToken)"/> prepares
/// the data, trains, writes the final model to <see cref="KtoOptions.OutputDir"/> when set, and returns the
/// <see cref="KtoTransformer"/> that generates with the aligned model.
/// </summary>
public sealed class KtoEstimator : IEstimator<KtoTransformer>
{
    private readonly string _modelDirectory;
    private readonly string? _referenceModelDirectory;

    /// <summary>Creates the estimator for a Hugging Face model directory (config.json, *.safetensors, tokenizer files).</summary>
    /// <param name="modelDirectory">The policy's starting point.</param>
    /// <param name="options">Training options (TRL's names and defaults).</param>
    /// <param name="referenceModelDirectory">An explicit reference model; by default a frozen copy of the starting policy (with
    /// <see cref="KtoOptions.Lora"/>, the policy with its adapters switched off).</param>
    public KtoEstimator(string modelDirectory, KtoOptions? options = null, string? referenceModelDirectory = null)
    {
        _modelDirectory = modelDirectory;
        _referenceModelDirectory = referenceModelDirectory;
        Options = options ?? new KtoOptions();
    }

    /// <summary>The options used by <see cref="Fit(KtoDataset, IReadOnlyDictionary{string, KtoDataset}?, CancellationToken)"/>.</summary>
    public KtoOptions Options { get; }

    /// <summary>Column names, batch size and generation settings the fitted transformer's IDataView path uses.</summary>
    public Prediction.KtoTransformOptions TransformOptions { get; set; } = new();

    /// <summary>Receives preparation, training and evaluation progress, metrics and warnings.</summary>
    public IProgress<KtoProgress>? Progress { get; set; }

    /// <summary>The ML.NET context whose log (<c>MLContext.Log</c>) also receives progress, when the estimator came from its catalog.</summary>
    internal Runtime.IChannelProvider? Log { get; init; }

    // Progress goes to the caller's receiver and to the MLContext's log; set for the duration of a Fit.
    private IProgress<KtoProgress>? _reporter;

    /// <summary>
    /// Trains on an <see cref="IDataView"/> with unpaired (prompt, completion, label) or paired (prompt, chosen,
    /// rejected) columns named by <see cref="KtoOptions.ColumnNames"/>: text columns are <c>string</c> (JSON text of a
    /// message list for the conversational format), the label <c>bool</c> or a number holding 0/1. The schema is
    /// checked first; rows stream through one cursor into preparation.
    /// </summary>
    public KtoTransformer Fit(IDataView input) => Fit(input, CancellationToken.None);

    /// <summary>
    /// <see cref="Fit(IDataView)"/> that stops at the next step boundary once <paramref name="cancellation"/> fires,
    /// writing a checkpoint to resume from (with <see cref="KtoOptions.OutputDir"/>) and no final model; the
    /// transformer's <see cref="KtoTransformer.TrainingSummary"/> says where it stopped.
    /// </summary>
    public KtoTransformer Fit(IDataView input, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(input);
        Options.Validate();
        if (KtoSchema.TokenizedLabel(input.Schema, Options.ColumnNames) is { } label)
        {
            return WithProgress(() => Train(null, DataViewRows.ReadTokenized(input, label).ToList(), null, cancellation));
        }

        var columns = KtoSchema.ForTraining(input.Schema, Options.ColumnNames);
        var dataset = KtoDatasetLoader.Load(DataViewRows.Read(input, columns), Options.ColumnNames);
        return Fit(dataset, cancellation: cancellation);
    }

    /// <summary>
    /// The input's columns plus the generated completion (text), after checking that the training columns exist with
    /// the types <see cref="Fit(IDataView)"/> needs.
    /// </summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var names = Options.ColumnNames;
        SchemaShape.Column? Find(string name) => inputSchema.Where(c => c.Name == name).Cast<SchemaShape.Column?>().FirstOrDefault();
        var paired = Find(names.Chosen) is not null || Find(names.Rejected) is not null;
        IEnumerable<(string Name, string Option)> text = paired
            ? [(names.Chosen, nameof(KtoColumnNames.Chosen)), (names.Rejected, nameof(KtoColumnNames.Rejected))]
            : [(names.Prompt, nameof(KtoColumnNames.Prompt)), (names.Completion, nameof(KtoColumnNames.Completion))];
        foreach (var (name, option) in text)
        {
            var column = Find(name) ?? throw new ArgumentException(
                $"The data has no column '{name}' (a string column is needed). Add it, or rename the column the data has with KtoOptions.ColumnNames.{option}.");
            if (column.ItemType != TextDataViewType.Instance || column.Kind != SchemaShape.Column.VectorKind.Scalar)
            {
                throw new ArgumentException($"Column '{name}' is {column.ItemType} ({column.Kind}), but must be a string. Convert it or point KtoOptions.ColumnNames.{option} at another column.");
            }
        }
        if (!paired)
        {
            var label = Find(names.Label) ?? throw new ArgumentException(
                $"The data has no column '{names.Label}' (a Boolean column is needed). Add it, or rename the column the data has with KtoOptions.ColumnNames.Label.");
            if ((label.ItemType != BooleanDataViewType.Instance && label.ItemType is not NumberDataViewType) || label.Kind != SchemaShape.Column.VectorKind.Scalar)
            {
                throw new ArgumentException($"Column '{names.Label}' is {label.ItemType} ({label.Kind}), but must be Boolean (or a number holding 0/1). Convert it or point KtoOptions.ColumnNames.Label at another column.");
            }
        }
        // SchemaShape.Column has no public constructor; ML.NET's own CopyColumns estimator adds a string column the
        // way our transformer does (the generated completion is text like the prompt it is copied from here).
        var source = Find(names.Prompt) is not null ? names.Prompt : text.First().Name;
        return new MLContext().Transforms.CopyColumns(TransformOptions.OutputColumnName, source).GetOutputSchema(inputSchema);
    }

    /// <summary>Trains on <paramref name="train"/> (and evaluates on <paramref name="eval"/> sets, keyed by name).</summary>
    public KtoTransformer Fit(KtoDataset train, IReadOnlyDictionary<string, KtoDataset>? eval = null, CancellationToken cancellation = default)
    {
        Options.Validate();
        return WithProgress(() => Train(train, null, eval, cancellation));
    }

    private KtoTransformer WithProgress(Func<KtoTransformer> fit)
    {
        using var log = Log is null ? null : new MLContextLogProgress(Log);
        _reporter = FanOutProgress<KtoProgress>.Of(Progress, log);
        try
        {
            return fit();
        }
        finally
        {
            _reporter = null;
        }
    }

    // Text rows (train) or rows already tokenized by the tokenization transform (tokenized): data, model, reference,
    // training and output, each a step below. The library leaves process-wide settings (libtorch's thread count) to
    // the application.
    private KtoTransformer Train(KtoDataset? train, IReadOnlyList<TokenizedRow>? tokenized, IReadOnlyDictionary<string, KtoDataset>? eval, CancellationToken cancellation)
    {
        var tokenizer = HfTokenizer.FromDirectory(_modelDirectory);
        var padTokenId = tokenizer.GetPaddingTokenId();
        var data = PrepareData(new PromptCompletionEncoder(tokenizer), train, tokenized, eval);
        var device = TorchTypes.ParseDevice(Options.Device);
        var dtype = TorchTypes.ParseDType(Options.DType);
        var transformer = new KtoTransformer(CausalLM.FromPretrained(_modelDirectory, dtype, device), tokenizer, _modelDirectory, Options);
        CausalLM? referenceModel = null;
        try
        {
            IReferenceLogProbs live;
            if (Options.Lora is { } lora)
            {
                AddAdapters(transformer.Model, lora);
            }

            if (Options.Lora is not null && _referenceModelDirectory is null)
            {
                // TRL with a PEFT model and no ref_model: the reference is the policy with its adapters off.
                live = new AdapterReference(transformer.Model, Options.Lora.ReferenceAdapterDirectory is null ? null : ReferenceAdapter);
            }
            else
            {
                referenceModel = CausalLM.FromPretrained(_referenceModelDirectory ?? _modelDirectory, dtype, device);
                live = new FrozenReferenceModel(referenceModel);
            }
            var reference = ReferenceLogProbs(live, data, padTokenId, device);
            if (reference is PrecomputedReferenceLogProbs)
            {
                // The point of precomputing: the reference no longer occupies memory.
                referenceModel?.Dispose();
                referenceModel = null;
                RemoveReferenceAdapter(transformer.Model);
            }
            var samplePrompts = Options.OutputDir is null || (eval?.Values.FirstOrDefault() ?? train) is not { } sampled ? [] : SamplePrompts(sampled);
            var before = samplePrompts.Select(transformer.CompleteForReport).ToList();
            RunTrainer(transformer, reference, data, padTokenId, cancellation);
            RemoveReferenceAdapter(transformer.Model);
            WriteOutput(transformer, samplePrompts, before, data.Balance, train?.SourcePath);
            transformer.TransformOptions = TransformOptions;
            return transformer;
        }
        catch
        {
            transformer.Dispose();
            throw;
        }
        finally
        {
            referenceModel?.Dispose();
        }
    }

    /// <summary>Prepared train and eval examples (tokenized, length rules applied, KL partners assigned) and the class balance.</summary>
    private sealed record TrainingData(List<PreparedExample> Train, Dictionary<string, IReadOnlyList<PreparedExample>>? Eval, ClassBalance Balance);

    private TrainingData PrepareData(PromptCompletionEncoder encoder, KtoDataset? train, IReadOnlyList<TokenizedRow>? tokenized, IReadOnlyDictionary<string, KtoDataset>? eval)
    {
        var balance = train?.Balance ?? new ClassBalance(tokenized!.Count(r => r.Label), tokenized!.Count(r => !r.Label));
        foreach (var warning in balance.GetWarnings(Options.DesirableWeight, Options.UndesirableWeight))
        {
            Warn(warning);
        }

        var trainExamples = train is not null
            ? Prepare(encoder, train, "train", Options.PerDeviceTrainBatchSize)
            : Checked(KtoDatasetPreparer.Prepare(tokenized!, Options.MaxLength), "train", Options.PerDeviceTrainBatchSize);
        var evalExamples = eval?.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<PreparedExample>)Prepare(encoder, kv.Value, kv.Key, Options.PerDeviceEvalBatchSize));
        return new TrainingData(trainExamples, evalExamples, balance);
    }

    // The name of the adapter loaded from Lora.ReferenceAdapterDirectory (TRL's ref_adapter_name).
    private const string ReferenceAdapter = "reference";

    // LoRA on the policy: a new adapter (PEFT's get_peft_model) or an existing one to train further
    // (PeftModel.from_pretrained with is_trainable=True), and the reference adapter beside it.
    private void AddAdapters(CausalLM policy, LoraOptions options)
    {
        if (options.ReferenceAdapterDirectory is not null && _referenceModelDirectory is not null)
        {
            throw new ArgumentException("Lora.ReferenceAdapterDirectory and a reference model directory both name the reference; give one of them.");
        }

        var seed = (ulong)Options.Seed;
        var lora = options.AdapterDirectory is { } existing
            ? LoraModel.Load(policy, existing, seed)
            : LoraModel.Create(policy, options, Path.GetFullPath(_modelDirectory), seed);
        if (options.AdapterDirectory is not null)
        {
            var loaded = lora.Adapters[LoraModel.DefaultAdapter];
            Warn($"Continuing the adapter in '{options.AdapterDirectory}' as its adapter_config.json describes it (r {loaded.R}, alpha {loaded.Alpha}, dropout {loaded.Dropout}, " +
                $"targets {string.Join(",", loaded.TargetModules)}, rslora {loaded.UseRslora}); the other Lora options do not apply.");
        }

        if (options.ReferenceAdapterDirectory is { } reference)
        {
            lora.LoadAdapter(ReferenceAdapter, reference);
        }
    }

    // Once its log-probs are precomputed or training is over, the reference adapter only takes memory.
    private static void RemoveReferenceAdapter(CausalLM policy)
    {
        if (policy.Lora is { } lora && lora.Adapters.ContainsKey(ReferenceAdapter))
        {
            lora.DeleteAdapter(ReferenceAdapter);
        }
    }

    // The live reference, or its log-probs computed once up front (PrecomputeRefLogProbs).
    private IReferenceLogProbs ReferenceLogProbs(IReferenceLogProbs live, TrainingData data, int padTokenId, TorchSharp.torch.Device device)
    {
        if (!Options.PrecomputeRefLogProbs)
        {
            return live;
        }

        var collator = new KtoCollator(padTokenId, Options.MaxLength, device);
        var withKl = Options.LossType == KtoLossType.Kto;
        var batch = Options.PrecomputeRefBatchSize ?? Options.PerDeviceTrainBatchSize;
        var precomputed = new PrecomputedReferenceLogProbs();
        precomputed.Add(data.Train, live, collator, batch, withKl, ItemProgress("reference", data.Train.Count));
        foreach (var set in data.Eval?.Values ?? Enumerable.Empty<IReadOnlyList<PreparedExample>>())
        {
            precomputed.Add(set, live, collator, batch, withKl);
        }

        return precomputed;
    }

    private void RunTrainer(KtoTransformer transformer, IReferenceLogProbs reference, TrainingData data, int padTokenId, CancellationToken cancellation)
    {
        using (var trainer = new KtoTrainer(transformer.Model, reference, Options.ToTrainingSettings(), padTokenId))
        {
            var state = trainer.Train(data.Train, data.Eval, _reporter, cancellation);
            transformer.TrainingLog = state.LogHistory;
            transformer.TrainingSummary = new KtoTrainingSummary(state.GlobalStep, state.PlannedSteps, state.Cancelled, state.LastCheckpoint);
        }
        transformer.Model.SetRequiresGrad(false);
        if (transformer.TrainingSummary.Cancelled)
        {
            _reporter?.Report(new KtoProgress("train", transformer.TrainingSummary.Step, transformer.TrainingSummary.PlannedSteps, Message: transformer.TrainingSummary.ToString()));
        }
    }

    // The final model, report and card; a cancelled run leaves its checkpoint to resume from instead of a "final" model
    // and card that would not say so.
    private void WriteOutput(KtoTransformer transformer, List<KtoRow> samplePrompts, List<string> before, ClassBalance balance, string? datasetName)
    {
        if (Options.OutputDir is not { } output || transformer.TrainingSummary!.Cancelled)
        {
            return;
        }

        transformer.Save(output);
        var samples = samplePrompts.Select((row, i) => new ReportSample(row.Prompt.ToString(), before[i], transformer.CompleteForReport(row))).ToList();
        KtoRunReport.Write(output, new KtoRunRecord
        {
            BaseModel = _modelDirectory,
            Options = Options.ToTrlNames(),
            DatasetName = datasetName,
            Balance = balance,
            LogHistory = transformer.TrainingLog,
            Samples = samples,
        });
    }

    private List<KtoRow> SamplePrompts(KtoDataset data) =>
        data.Rows.DistinctBy(r => r.Prompt.ToString()).Take(Options.ReportSampleCount).ToList();

    private List<PreparedExample> Prepare(PromptCompletionEncoder encoder, KtoDataset data, string name, int batchSize) =>
        Checked(new KtoDatasetPreparer(encoder, Options.MaxLength).Prepare(data.Rows, ItemProgress("prepare", data.Rows.Count)), name, batchSize);

    private List<PreparedExample> Checked((List<PreparedExample> Examples, PreparationReport Report) prepared, string name, int batchSize)
    {
        var (examples, report) = prepared;
        foreach (var warning in report.Warnings())
        {
            Warn($"{name}: {warning}");
        }

        if (examples.Count == 0)
        {
            throw new KtoDataException($"The {name} dataset has no rows left after preparation ({report.DroppedPromptTooLong} dropped for prompts reaching MaxLength={Options.MaxLength}). Raise MaxLength or shorten the prompts.");
        }

        return KlCompletions.Assign(examples, batchSize);
    }

    private IProgress<int>? ItemProgress(string phase, int total) =>
        _reporter is not { } reporter ? null : new Progress<int>(done => reporter.Report(new KtoProgress(phase, done, total)));

    private void Warn(string message) => _reporter?.Report(new KtoProgress("prepare", 0, 0, Message: message));
}
