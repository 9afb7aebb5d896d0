using System.Text.Json;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Lora;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto;

/// <summary>
/// A fitted model: the causal LM with its tokenizer and chat template (ML.NET's transformer role). It saves to
/// and loads from a Hugging Face model directory, plus <c>kto_options.json</c> recording how it was trained.
/// </summary>
public sealed partial class KtoTransformer : IDisposable
{
    /// <summary>File that records the training options next to the model.</summary>
    public const string OptionsFileName = "kto_options.json";

    private static readonly string[] TokenizerFiles = ["tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json"];
    private readonly string _tokenizerDirectory;

    // Parsed once: the chat template costs about a millisecond to parse and every generation call renders prompts.
    private readonly PromptCompletionEncoder _encoder;

    internal KtoTransformer(CausalLM model, HfTokenizer tokenizer, string tokenizerDirectory, KtoOptions? options)
    {
        Model = model;
        Tokenizer = tokenizer;
        _encoder = new PromptCompletionEncoder(tokenizer);
        _tokenizerDirectory = tokenizerDirectory;
        TrainingOptions = options;
    }

    /// <summary>The language model.</summary>
    public CausalLM Model { get; }

    /// <summary>The tokenizer (with its chat template).</summary>
    public HfTokenizer Tokenizer { get; }

    /// <summary>The name of the directory the model (for a freshly fitted one, its base model) was read from; chat clients report it as the model id.</summary>
    internal string ModelName => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(_tokenizerDirectory)));

    /// <summary>The options the model was trained with (null for a model that was only loaded).</summary>
    public KtoOptions? TrainingOptions { get; }

    /// <summary>
    /// Every line the training run logged (train and eval metrics with their <c>step</c>), like transformers'
    /// <c>trainer.state.log_history</c>; empty for a model that was only loaded.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> TrainingLog { get; internal set; } = [];

    /// <summary>How the training run ended (null for a model that was only loaded).</summary>
    public KtoTrainingSummary? TrainingSummary { get; internal set; }

    /// <summary>
    /// Loads a model directory saved by <see cref="Save"/> (or any supported Hugging Face model directory), or a PEFT
    /// LoRA adapter directory (<c>adapter_config.json</c>, no <c>config.json</c>) onto the base model its
    /// <c>base_model_name_or_path</c> names (see <see cref="LoadWithAdapter"/>).
    /// </summary>
    public static KtoTransformer Load(string directory, string device = "cpu", string dtype = "float32")
    {
        if (!File.Exists(Path.Combine(directory, "config.json")) && File.Exists(Path.Combine(directory, PeftAdapterConfig.FileName)))
        {
            return LoadWithAdapter(BaseModelOf(directory), directory, device, dtype);
        }

        return Around(CausalLM.FromPretrained(directory, TorchTypes.ParseDType(dtype), TorchTypes.ParseDevice(device)), directory, directory);
    }

    /// <summary>
    /// Loads a base model with a PEFT LoRA adapter on it (active, frozen), as PEFT's <c>PeftModel.from_pretrained</c>.
    /// The tokenizer comes from the adapter directory when it holds one, else from the base model's.
    /// </summary>
    public static KtoTransformer LoadWithAdapter(string baseModelDirectory, string adapterDirectory, string device = "cpu", string dtype = "float32")
    {
        var model = CausalLM.FromPretrained(baseModelDirectory, TorchTypes.ParseDType(dtype), TorchTypes.ParseDevice(device));
        try
        {
            LoraModel.Load(model, adapterDirectory);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        var tokenizerDirectory = File.Exists(Path.Combine(adapterDirectory, "tokenizer.json")) ? adapterDirectory : baseModelDirectory;
        return Around(model, adapterDirectory, tokenizerDirectory);
    }

    // The transformer around a loaded model: options recorded in the model's directory, tokenizer from its own.
    private static KtoTransformer Around(CausalLM model, string directory, string tokenizerDirectory)
    {
        try
        {
            var optionsPath = Path.Combine(directory, OptionsFileName);
            var options = File.Exists(optionsPath) ? JsonSerializer.Deserialize<KtoOptions>(File.ReadAllText(optionsPath)) : null;
            return new KtoTransformer(model, HfTokenizer.FromDirectory(tokenizerDirectory), tokenizerDirectory, options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // An adapter's base_model_name_or_path, as given or relative to the adapter directory; only local directories load.
    private static string BaseModelOf(string adapterDirectory)
    {
        var named = PeftAdapterConfig.Read(adapterDirectory).BaseModel;
        foreach (var candidate in named is null ? [] : new[] { named, Path.Combine(adapterDirectory, named) })
        {
            if (File.Exists(Path.Combine(candidate, "config.json")))
            {
                return candidate;
            }
        }
        throw new ModelFormatException(
            $"The adapter in '{adapterDirectory}' names its base model '{named}' (base_model_name_or_path), which is not a model directory here. " +
            "Load it with KtoTransformer.LoadWithAdapter(baseModelDirectory, adapterDirectory), or fix base_model_name_or_path.");
    }

    /// <summary>
    /// Writes the model (Hugging Face layout: config.json, generation_config.json, model.safetensors), the
    /// tokenizer files and kto_options.json. Each file is written under a temporary name and renamed, and config.json
    /// comes last, so a directory whose save was interrupted never looks like a complete model. A model with LoRA
    /// adapters is written as its trained adapter in PEFT's layout (adapter_model.safetensors, then adapter_config.json
    /// naming the base model), with the tokenizer files and the base model's generation_config.json beside it.
    /// </summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Model.Lora is null ? TokenizerFiles : [.. TokenizerFiles, "generation_config.json"])
        {
            var source = Path.Combine(_tokenizerDirectory, file);
            var target = Path.Combine(directory, file);
            if (File.Exists(source) && Path.GetFullPath(source) != Path.GetFullPath(target))
            {
                AtomicFile.Copy(source, target);
            }
        }
        if (TrainingOptions is not null)
        {
            ModelWriter.WriteJson(Path.Combine(directory, OptionsFileName), JsonSerializer.SerializeToNode(TrainingOptions)!);
        }
        if (Model.Lora is { } lora)
        {
            lora.Save(directory);
        }
        else
        {
            Model.SaveTo(directory);
        }
    }

    // A model extracted from an ML.NET zip lives in a temporary directory the transformer owns (generation_config.json
    // is read from it on use) and deletes when disposed.
    private string? _ownedDirectory;

    internal static KtoTransformer LoadOwningDirectory(string directory)
    {
        var transformer = Load(directory);
        transformer._ownedDirectory = directory;
        return transformer;
    }

    /// <summary>Frees the model (and deletes the temporary directory of a model loaded from an ML.NET zip).</summary>
    public void Dispose()
    {
        Model.Dispose();
        if (_ownedDirectory is { } directory && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        _ownedDirectory = null;
    }
}
