using Microsoft.ML.Kto.Models.Safetensors;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Kto.Models.Lora;

/// <summary>
/// LoRA adapters on a <see cref="CausalLM"/>, as PEFT's <c>PeftModel</c> puts them on a transformers model: named
/// adapters, each with low-rank A and B on its target linear layers (registered as <c>lora_A.{adapter}</c>,
/// <c>lora_B.{adapter}</c>) and trainable copies of its modules to save (<c>modules_to_save.{adapter}</c>); one adapter
/// active at a time, or none, which is the base model (PEFT's <c>disable_adapter</c>). The base weights stay frozen.
/// Adapters save to and load from PEFT's layout, and merge into the base weights. <see cref="DefaultAdapter"/> is the
/// one training updates.
/// </summary>
public sealed class LoraModel : IDisposable
{
    /// <summary>The adapter training updates (PEFT's default adapter name).</summary>
    public const string DefaultAdapter = "default";

    private const string DropoutStateFile = "lora_rng_state.safetensors";

    private readonly LoraTargets _targets;
    private readonly ulong _seed;
    private readonly Dictionary<string, LoraOptions> _adapters = new(StringComparer.Ordinal);
    // What adapter_config.json records as target_modules: the names as given, or all-linear resolved to layer names (PEFT).
    private readonly Dictionary<string, string[]> _savedTargetNames = new(StringComparer.Ordinal);
    // The layers that carry adapters and the modules that have copies, by Hugging Face name, in the order first adapted.
    private readonly List<(string Name, LoraLinear Layer)> _layers = [];
    private readonly List<(string Name, nn.Module Original, IModuleCopies Copies)> _copied = [];
    private string? _activeAdapter;
    private Generator? _dropoutGenerator;

    private LoraModel(CausalLM model, string baseModelNameOrPath, ulong seed)
    {
        if (model.Lora is not null)
        {
            throw new InvalidOperationException("The model already has LoRA adapters; add more with its Lora.AddAdapter or Lora.LoadAdapter.");
        }

        _targets = new LoraTargets(model);
        _seed = seed;
        Model = model;
        BaseModelNameOrPath = baseModelNameOrPath;
        // PEFT's get_peft_model freezes the base; PrepareForTraining makes the trained adapter's parameters trainable.
        model.SetRequiresGrad(false);
        model.Lora = this;
    }

    /// <summary>The model the adapters sit on.</summary>
    public CausalLM Model { get; }

    /// <summary>The base model's directory (or hub id), recorded as <c>base_model_name_or_path</c> when an adapter is saved.</summary>
    public string BaseModelNameOrPath { get; }

    /// <summary>The adapters by name, with their settings.</summary>
    public IReadOnlyDictionary<string, LoraOptions> Adapters => _adapters;

    /// <summary>The adapter the model computes with, or null for none (the base model alone).</summary>
    public string? ActiveAdapter
    {
        get => _activeAdapter;
        set => _activeAdapter = value is null || _adapters.ContainsKey(value) ? value
            : throw new ArgumentException($"The model has no adapter '{value}'; it has {string.Join(", ", _adapters.Keys)}.", nameof(value));
    }

    /// <summary>Generator of the adapters' dropout masks, on the model's device (masks are drawn there), seeded like the adapters' initialisation.</summary>
    internal Generator DropoutGenerator => _dropoutGenerator ??= new Generator(_seed, Model.Device);

    /// <summary>
    /// Puts a new adapter (<see cref="DefaultAdapter"/>) on <paramref name="model"/>, initialised as PEFT does by default:
    /// A Kaiming-uniform (a = √5, nn.Linear's initialisation), B zero, so the model computes exactly what it did before
    /// training; copies of the modules to save equal their originals. Random values come from <paramref name="seed"/>.
    /// </summary>
    public static LoraModel Create(CausalLM model, LoraOptions options, string baseModelNameOrPath, ulong seed = 0)
    {
        var lora = new LoraModel(model, baseModelNameOrPath, seed);
        try
        {
            lora.AddAdapter(DefaultAdapter, options);
            return lora;
        }
        catch
        {
            lora.Unload();
            throw;
        }
    }

    /// <summary>Loads a PEFT adapter directory onto <paramref name="model"/> as <see cref="DefaultAdapter"/> (frozen until a trainer trains it).</summary>
    public static LoraModel Load(CausalLM model, string adapterDirectory, ulong seed = 0)
    {
        var (_, baseModel) = PeftAdapterConfig.Read(adapterDirectory);
        var lora = new LoraModel(model, baseModel ?? "", seed);
        try
        {
            lora.LoadAdapter(DefaultAdapter, adapterDirectory);
            return lora;
        }
        catch
        {
            lora.Unload();
            throw;
        }
    }

    /// <summary>Adds a freshly initialised, trainable adapter (see <see cref="Create"/>); the active adapter does not change.</summary>
    public void AddAdapter(string name, LoraOptions options)
    {
        Attach(name, options, trainable: true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(_seed);
        foreach (var layer in LayersOf(name))
        {
            // kaiming_uniform_(a=√5) on [r, in]: bound = gain·√(3 / fan_in) with gain = √(2 / (1 + a²)), i.e. 1/√in.
            var a = layer.A(name).Weight;
            var bound = 1 / Math.Sqrt(a.shape[1]);
            a.copy_(empty(a.shape, ScalarType.Float32).uniform_(-bound, bound, generator));
            layer.B(name).Weight.zero_();
        }
        foreach (var (original, copy) in CopiesOf(name))
        {
            CopyParameters(original, copy);
        }
    }

    /// <summary>Loads a PEFT adapter directory as adapter <paramref name="name"/>, frozen; the active adapter does not change.</summary>
    public void LoadAdapter(string name, string directory)
    {
        var (options, _) = PeftAdapterConfig.Read(directory);
        Attach(name, options, trainable: false);
        try
        {
            ReadWeights(directory, name);
        }
        catch
        {
            DeleteAdapter(name);
            throw;
        }
    }

    /// <summary>Removes an adapter and frees its tensors (the model falls back to <see cref="DefaultAdapter"/>, or none).</summary>
    public void DeleteAdapter(string name)
    {
        foreach (var (_, layer) in _layers)
        {
            layer.Remove(name);
        }
        foreach (var (_, _, copies) in _copied)
        {
            copies.Remove(name);
        }
        // Layers and modules no adapter uses any more are plain again (no per-forward check left behind).
        foreach (var (_, layer) in _layers.Where(l => l.Layer.IsEmpty))
        {
            layer.Detach();
        }
        foreach (var (_, _, copies) in _copied.Where(c => c.Copies.IsEmpty))
        {
            copies.Detach();
        }
        _layers.RemoveAll(l => l.Layer.IsEmpty);
        _copied.RemoveAll(c => c.Copies.IsEmpty);
        _adapters.Remove(name);
        _savedTargetNames.Remove(name);
        if (_activeAdapter == name)
        {
            _activeAdapter = _adapters.ContainsKey(DefaultAdapter) ? DefaultAdapter : null;
        }
    }

    /// <summary>Switches to <paramref name="adapter"/> (null: none, the base model) until the result is disposed.</summary>
    public IDisposable Activate(string? adapter)
    {
        var previous = _activeAdapter;
        ActiveAdapter = adapter;
        return new Restore(() => _activeAdapter = previous);
    }

    /// <summary>
    /// Writes adapter <paramref name="adapter"/> in PEFT's layout: <c>adapter_model.safetensors</c>, then
    /// <c>adapter_config.json</c> (last, so a directory with it is complete), each under a temporary name and renamed.
    /// </summary>
    public void Save(string directory, string adapter = DefaultAdapter)
    {
        var options = Settings(adapter);
        Directory.CreateDirectory(directory);
        PeftAdapterWeights.Write(directory, Tensors(adapter));
        PeftAdapterConfig.Write(directory, options, _savedTargetNames[adapter], BaseModelNameOrPath);
    }

    /// <summary>
    /// Folds the active adapter into the base weights (W += s·B·A, copies replace their originals), removes every
    /// adapter and detaches from the model, which is a plain model again (PEFT's <c>merge_and_unload</c>).
    /// </summary>
    public void MergeAndUnload()
    {
        var adapter = _activeAdapter ?? throw new InvalidOperationException("No adapter is active, so there is nothing to merge; set ActiveAdapter first.");
        if (Model.Config.TieWordEmbeddings && CopiesOf(adapter).Any(c => c.Original is Embedding))
        {
            throw new InvalidOperationException(
                "The adapter trains a copy of embed_tokens, which this model ties to its LM head (tie_word_embeddings). The adapter replaces only the input " +
                "embeddings (as PEFT's does), but merged into the one shared matrix the copy would replace the head too. Use the adapter unmerged.");
        }

        foreach (var layer in LayersOf(adapter))
        {
            layer.Merge(adapter);
        }
        using (no_grad())
        {
            foreach (var (original, copy) in CopiesOf(adapter))
            {
                CopyParameters(copy, original);
            }
        }
        Unload();
    }

    // A module's own parameters (weight, bias) into a module of the same type and shape.
    private static void CopyParameters(nn.Module source, nn.Module target)
    {
        foreach (var ((_, from), (_, to)) in source.named_parameters(recurse: false).Zip(target.named_parameters(recurse: false)))
        {
            to.copy_(from);
        }
    }

    // Reads an adapter's tensors from a PEFT directory, strictly (names, ranks and shapes must match the adapter).
    private void ReadWeights(string directory, string adapter) =>
        PeftAdapterWeights.Read(directory, Tensors(adapter), Settings(adapter).R, PeftAdapterConfig.Read(directory).BaseModel);

    /// <summary>
    /// What a checkpoint of a LoRA policy holds: the trained adapter in PEFT's layout (transformers' Trainer saves a PEFT
    /// model so; the frozen base is not copied) and the dropout generator's state, so a resumed run draws the same masks.
    /// </summary>
    internal void SaveTrainingState(string directory)
    {
        Save(directory);
        using var generatorState = DropoutGenerator.get_state();
        SafetensorsIO.Write(Path.Combine(directory, DropoutStateFile), [new("lora_dropout", generatorState)]);
    }

    /// <summary>Restores what <see cref="SaveTrainingState"/> wrote.</summary>
    internal void LoadTrainingState(string directory)
    {
        ReadWeights(directory, DefaultAdapter);
        using var state = SafetensorsFile.Open(Path.Combine(directory, DropoutStateFile));
        using var generatorState = state.Read("lora_dropout");
        DropoutGenerator.set_state(generatorState);
    }

    /// <summary>
    /// Makes the parameters of <see cref="DefaultAdapter"/> (its A and B, and its copies of modules to save) collect
    /// gradients and everything else not, and returns them: what the optimizer trains.
    /// </summary>
    internal Parameter[] PrepareForTraining()
    {
        Model.SetRequiresGrad(false);
        var trainable = Tensors(DefaultAdapter).Select(t => t.Parameter).ToArray();
        foreach (var parameter in trainable)
        {
            parameter.requires_grad = true;
        }

        return trainable;
    }

    /// <summary>The adapter's tensors under PEFT's saved names, in module order (lora_A and lora_B per layer, then the copies).</summary>
    internal List<(string Key, Parameter Parameter)> Tensors(string adapter)
    {
        Settings(adapter);
        var tensors = new List<(string Key, Parameter Parameter)>();
        foreach (var (name, layer) in _layers.Where(l => l.Layer.Has(adapter)))
        {
            tensors.Add((PeftAdapterWeights.Key(name, "lora_A.weight"), layer.A(adapter).Weight));
            tensors.Add((PeftAdapterWeights.Key(name, "lora_B.weight"), layer.B(adapter).Weight));
        }
        foreach (var (name, _, copies) in _copied)
        {
            if (copies.Get(adapter) is { } copy)
            {
                tensors.AddRange(copy.named_parameters(recurse: false).Select(p => (PeftAdapterWeights.Key(name, p.name), p.parameter)));
            }
        }
        return tensors;
    }

    private LoraOptions Settings(string adapter) =>
        _adapters.TryGetValue(adapter, out var options) ? options
            : throw new ArgumentException($"The model has no adapter '{adapter}'; it has {string.Join(", ", _adapters.Keys)}.", nameof(adapter));

    // Creates the adapter's (uninitialised) A, B and copies on the modules its options name: trainable for a new adapter
    // (PEFT's get_peft_model), frozen for a loaded one (PeftModel.from_pretrained's default).
    private void Attach(string name, LoraOptions options, bool trainable)
    {
        options.Validate();
        if (_adapters.ContainsKey(name))
        {
            throw new ArgumentException($"The model already has an adapter named '{name}'.", nameof(name));
        }

        var linears = _targets.Linears(options);
        var saved = _targets.ModulesToSave(options);
        _adapters.Add(name, options.Copy());
        _savedTargetNames.Add(name, options.TargetModules is [LoraOptions.AllLinear] ? [.. LoraTargets.LeafNames(linears)] : [.. options.TargetModules]);
        _activeAdapter ??= name;
        foreach (var (path, linear) in linears)
        {
            if (linear.Lora is null)
            {
                _layers.Add((path, new LoraLinear(linear, this)));
            }
            linear.Lora!.Add(name, options.R, options.Scaling, options.Dropout);
        }
        foreach (var (path, module) in saved)
        {
            switch (module)
            {
                case Linear linear:
                    (linear.Copies ?? Copies(path, linear, new ModuleCopies<Linear>(linear, this, c => linear.Copies = c))).Add(name,
                        new Linear(linear.Weight.shape[1], linear.Weight.shape[0], linear.Bias is not null, linear.Weight.dtype, linear.Weight.device));
                    break;
                case Embedding embedding:
                    (embedding.Copies ?? Copies(path, embedding, new ModuleCopies<Embedding>(embedding, this, c => embedding.Copies = c))).Add(name,
                        new Embedding(embedding.Weight.shape[0], embedding.Weight.shape[1], embedding.Weight.dtype, embedding.Weight.device));
                    break;
            }
        }
        foreach (var (_, parameter) in Tensors(name))
        {
            parameter.requires_grad = trainable;
        }
    }

    private ModuleCopies<T> Copies<T>(string path, T module, ModuleCopies<T> copies) where T : nn.Module
    {
        _copied.Add((path, module, copies));
        return copies;
    }

    private IEnumerable<LoraLinear> LayersOf(string adapter) => _layers.Select(l => l.Layer).Where(l => l.Has(adapter));

    private IEnumerable<(nn.Module Original, nn.Module Copy)> CopiesOf(string adapter) =>
        _copied.Select(c => (c.Original, Copy: c.Copies.Get(adapter))).Where(p => p.Copy is not null)!;

    // Takes every adapter and copy off the model, which is plain again.
    private void Unload()
    {
        foreach (var (_, layer) in _layers)
        {
            layer.Detach();
        }
        foreach (var (_, _, copies) in _copied)
        {
            copies.Detach();
        }
        _layers.Clear();
        _copied.Clear();
        _adapters.Clear();
        _savedTargetNames.Clear();
        _activeAdapter = null;
        Model.Lora = null;
        Dispose();
    }

    /// <summary>Frees the dropout generator (the adapters' tensors belong to the model's module tree).</summary>
    public void Dispose()
    {
        _dropoutGenerator?.Dispose();
        _dropoutGenerator = null;
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
