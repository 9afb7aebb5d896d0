using Microsoft.ML.Kto.Models.Safetensors;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Kto.Models.Lora;

/// <summary>
/// PEFT's <c>adapter_model.safetensors</c>: the tensors of one adapter under the names PEFT's
/// <c>get_peft_model_state_dict</c> gives them (adapter name removed, <c>base_model.model.</c> in front):
/// <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c>, <c>….lora_B.weight</c>, and for each module to save
/// <c>base_model.model.lm_head.weight</c>. Read strictly: every expected tensor present with its shape, nothing else.
/// </summary>
internal static class PeftAdapterWeights
{
    public const string FileName = "adapter_model.safetensors";

    /// <summary>PEFT's key of a module's tensor: <c>base_model.model.{module}.{tensor}</c>.</summary>
    public static string Key(string module, string tensor) => $"base_model.model.{module}.{tensor}";

    public static void Write(string directory, IEnumerable<(string Key, Parameter Parameter)> tensors)
    {
        using var scope = NewDisposeScope();
        SafetensorsIO.Write(Path.Combine(directory, FileName), tensors.Select(t => new KeyValuePair<string, Tensor>(t.Key, t.Parameter.detach())),
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>
    /// Reads the file into <paramref name="expected"/> (key, parameter) after checking that the keys match exactly and
    /// every shape does; a rank that differs from <paramref name="r"/> (adapter_config.json's) is its own error.
    /// </summary>
    public static void Read(string directory, IReadOnlyList<(string Key, Parameter Parameter)> expected, int r, string? baseModel)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            var hint = File.Exists(Path.Combine(directory, "adapter_model.bin"))
                ? " It has adapter_model.bin: save the adapter with safe_serialization=True (PEFT's default) first."
                : "";
            throw new ModelFormatException($"'{directory}' has no {FileName}.{hint}");
        }

        using var file = SafetensorsFile.Open(path);
        var wanted = expected.ToDictionary(e => e.Key, e => e.Parameter, StringComparer.Ordinal);
        var missing = expected.Where(e => !file.Entries.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        var unexpected = file.Entries.Keys.Where(k => !wanted.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (missing.Count + unexpected.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0)
            {
                problems.Add($"missing tensors: {string.Join(", ", missing)}");
            }

            if (unexpected.Count > 0)
            {
                problems.Add($"unexpected tensors: {string.Join(", ", unexpected)}");
            }

            throw new ModelFormatException(
                $"'{path}' does not match its {PeftAdapterConfig.FileName} on this model: {string.Join(". ", problems)}. " +
                "The target_modules and modules_to_save of the config must name exactly the modules whose tensors the file holds, on the base model it was trained for" +
                (baseModel is null ? "." : $" ('{baseModel}')."));
        }

        foreach (var (key, parameter) in expected)
        {
            var shape = file.Entries[key].Shape;
            var rankIndex = key.EndsWith(".lora_A.weight", StringComparison.Ordinal) ? 0 : key.EndsWith(".lora_B.weight", StringComparison.Ordinal) ? 1 : -1;
            if (rankIndex >= 0 && shape.Length == 2 && shape[rankIndex] != r)
            {
                throw new ModelFormatException(
                    $"'{path}': {key} has rank {shape[rankIndex]} (shape [{string.Join(", ", shape)}]), but {PeftAdapterConfig.FileName} says r = {r}. Fix r in the config to the rank the tensors have.");
            }

            if (!shape.SequenceEqual(parameter.shape))
            {
                throw new ModelFormatException(
                    $"'{path}': {key} has shape [{string.Join(", ", shape)}], but this base model needs [{string.Join(", ", parameter.shape)}]: the adapter was trained on another base model" +
                    (baseModel is null ? "" : $" (its config names '{baseModel}')") + ". Load it onto the model it was trained on.");
            }
        }

        using var noGrad = no_grad();
        foreach (var (key, parameter) in expected)
        {
            file.ReadInto(key, parameter);
        }
    }
}
