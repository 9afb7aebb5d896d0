namespace Microsoft.ML.Kto;

/// <summary>
/// ML.NET's catalog for text generation, which ML.NET itself does not have: <c>mlContext.TextGeneration.Trainers.Kto(...)</c>,
/// in the shape of <c>mlContext.MulticlassClassification.Trainers.TextClassification(...)</c>.
/// </summary>
public sealed class TextGenerationCatalog
{
    internal TextGenerationCatalog(MLContext context) => Trainers = new TextGenerationTrainers(context);

    /// <summary>Trainers that fine-tune causal language models.</summary>
    public TextGenerationTrainers Trainers { get; }

    /// <summary>Data transforms of the KTO pipeline.</summary>
    public TextGenerationTransforms Transforms { get; } = new();
}

/// <summary>The text-generation data transforms.</summary>
public sealed class TextGenerationTransforms
{
    internal TextGenerationTransforms() { }

    /// <summary>
    /// Chat template and tokenization with the tokenizer of <paramref name="modelDirectory"/>: adds TRL's
    /// <c>prompt_input_ids</c> and <c>completion_input_ids</c> columns (see <see cref="DataViews.KtoTokenizingEstimator"/>).
    /// </summary>
    public DataViews.KtoTokenizingEstimator Tokenize(string modelDirectory, Data.KtoColumnNames? columns = null) => new(modelDirectory, columns);

    /// <summary>
    /// Paired preference rows (prompt, chosen, rejected) as unpaired KTO rows (prompt, completion, label), with TRL's
    /// implicit-prompt extraction (see <see cref="DataViews.KtoUnpairingEstimator"/>).
    /// </summary>
    public DataViews.KtoUnpairingEstimator UnpairPreferences(Data.KtoColumnNames? columns = null) => new(columns);
}

/// <summary>The text-generation trainers.</summary>
public sealed class TextGenerationTrainers
{
    private readonly MLContext _context;

    internal TextGenerationTrainers(MLContext context) => _context = context;

    /// <summary>
    /// KTO fine-tuning of the Hugging Face model in <paramref name="modelDirectory"/> on binary feedback; without options,
    /// TRL's defaults. Progress also goes to the context's log (<see cref="MLContext.Log"/>).
    /// </summary>
    /// <param name="modelDirectory">config.json, *.safetensors and tokenizer files of the starting policy.</param>
    /// <param name="options">Training options (TRL's names and defaults).</param>
    /// <param name="referenceModelDirectory">An explicit reference model; by default a frozen copy of the starting policy (with
    /// <see cref="KtoOptions.Lora"/>, the policy with its adapters switched off).</param>
    /// <remarks>
    /// ML.NET's device convention applies: when <see cref="MLContext.GpuDeviceId"/> is set and the options leave
    /// <see cref="KtoOptions.Device"/> at "cpu", training runs on <c>cuda:{GpuDeviceId}</c>, or on the CPU when no CUDA
    /// device is available and <see cref="MLContext.FallbackToCpu"/> is true (an error otherwise). The options object is
    /// updated accordingly.
    /// </remarks>
    public KtoEstimator Kto(string modelDirectory, KtoOptions? options = null, string? referenceModelDirectory = null)
    {
        options ??= new KtoOptions();
        options.Device = DeviceFor(_context, options.Device);
        return new(modelDirectory, options, referenceModelDirectory) { Log = _context };
    }

    private static string DeviceFor(MLContext context, string requested)
    {
        if (context.GpuDeviceId is not { } id || requested != new KtoOptions().Device)
        {
            return requested;
        }

        if (TorchSharp.torch.cuda.is_available())
        {
            return $"cuda:{id}";
        }

        return context.FallbackToCpu ? requested
            : throw new ArgumentException(
                $"MLContext.GpuDeviceId is {id}, but no CUDA device is available (the CPU runtime, or no GPU). Set MLContext.FallbackToCpu = true " +
                "to train on the CPU, or build with -p:KtoTorchRuntime=cuda on a machine with an NVIDIA GPU.");
    }
}

/// <summary>Adds <see cref="TextGenerationCatalog"/> to <see cref="MLContext"/>.</summary>
public static class KtoMLContextExtensions
{
    extension(MLContext context)
    {
        /// <summary>Text-generation trainers and transforms (KTO).</summary>
        public TextGenerationCatalog TextGeneration => new(context);
    }
}
