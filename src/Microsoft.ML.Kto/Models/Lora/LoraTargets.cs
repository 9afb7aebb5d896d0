using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models.Lora;

/// <summary>
/// Which modules of a model get adapters and which are trained in full, by PEFT's name rules: a listed name matches a
/// module whose name equals it or ends with "." and it; <c>all-linear</c> is every linear layer but the LM head; modules
/// to save are never adapter targets.
/// </summary>
internal sealed class LoraTargets
{
    private const string LmHead = "lm_head";

    private readonly List<(string Name, nn.Module Module)> _modules;

    /// <summary>Indexes the model's modules by Hugging Face name (before any adapter is attached).</summary>
    public LoraTargets(CausalLM model)
    {
        // named_modules() yields a module once per path, and TorchSharp's RegisterComponents also registers our fields
        // under their C# names (model.layers.0._selfAttn); the first path of each module is the Hugging Face name.
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        _modules = model.named_modules().Where(m => seen.Add(m.module)).Select(m => (m.name, m.module)).ToList();
        ModelType = model.Config.ModelType;
    }

    private string ModelType { get; }

    /// <summary>The linear layers that get adapters for <paramref name="options"/>, by name, in module order.</summary>
    public List<(string Name, Linear Module)> Linears(LoraOptions options)
    {
        var linears = _modules.Where(m => m.Module is Linear && m.Name != LmHead && !Matches(m.Name, options.ModulesToSave))
            .Select(m => (m.Name, (Linear)m.Module)).ToList();
        if (options.TargetModules is [LoraOptions.AllLinear])
        {
            return linears;
        }

        foreach (var target in options.TargetModules)
        {
            if (Matches(LmHead, [target]))
            {
                throw new ArgumentException(
                    $"LoRA target '{target}' is the LM head, which cannot carry an adapter here (it is fused with the log-softmax). List it in Lora.ModulesToSave to train it in full.");
            }

            if (!linears.Any(l => Matches(l.Name, [target])))
            {
                throw new ArgumentException(
                    $"LoRA target module '{target}' matches no linear layer of this {ModelType} model. Valid names: {string.Join(", ", LeafNames(linears))}, " +
                    $"or a dotted suffix of a full name such as '{linears.FirstOrDefault().Name}', or '{LoraOptions.AllLinear}' for all of them.");
            }
        }
        return linears.Where(l => Matches(l.Name, options.TargetModules)).ToList();
    }

    /// <summary>The modules trained in full beside the adapters, by name, in module order.</summary>
    public List<(string Name, nn.Module Module)> ModulesToSave(LoraOptions options)
    {
        foreach (var name in options.ModulesToSave)
        {
            var matched = _modules.Where(m => Matches(m.Name, [name])).ToList();
            if (matched.Count == 0)
            {
                var hint = name == LmHead && _modules.All(m => m.Name != LmHead)
                    ? " This model ties its LM head to embed_tokens (tie_word_embeddings), so it has no separate lm_head to copy; PEFT would train an untied copy, which is not supported."
                    : $" Valid names: {string.Join(", ", _modules.Where(m => m.Module is Linear or Embedding).Select(m => m.Name.Split('.')[^1]).Distinct())}.";
                throw new ArgumentException($"Lora.ModulesToSave: '{name}' matches no module of this {ModelType} model.{hint}");
            }

            if (matched.FirstOrDefault(m => m.Module is not (Linear or Embedding)) is { Module: { } other } unsupported)
            {
                throw new ArgumentException(
                    $"Lora.ModulesToSave: '{unsupported.Name}' is a {other.GetType().Name}; only linear and embedding modules can be trained in full beside the adapters.");
            }
        }
        return _modules.Where(m => Matches(m.Name, options.ModulesToSave)).ToList();
    }

    /// <summary>The distinct last name segments (q_proj, v_proj, …) of the given modules, in module order.</summary>
    public static List<string> LeafNames(IEnumerable<(string Name, Linear Module)> modules) =>
        modules.Select(m => m.Name.Split('.')[^1]).Distinct().ToList();

    private static bool Matches(string name, IEnumerable<string> targets) =>
        targets.Any(t => name == t || name.EndsWith("." + t, StringComparison.Ordinal));
}
