using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Models.Lora;

/// <summary>
/// PEFT's <c>adapter_config.json</c> of a LoRA adapter: written with the fields PEFT's <c>LoraConfig</c> reads back,
/// read strictly, rejecting settings that would change the computation and are not implemented here.
/// </summary>
internal static class PeftAdapterConfig
{
    public const string FileName = "adapter_config.json";

    // Fields whose non-default values change what an adapter computes; each must be absent or hold its default.
    private static readonly (string Key, Func<JsonNode?, bool> IsDefault, string Meaning)[] Unsupported =
    [
        ("use_dora", n => n is null || n.GetValue<bool>() == false, "DoRA"),
        ("fan_in_fan_out", n => n is null || n.GetValue<bool>() == false, "transposed (Conv1D) base weights"),
        ("lora_bias", n => n is null || n.GetValue<bool>() == false, "a bias on lora_B"),
        ("bias", n => n is null || n.GetValue<string>() == "none", "trained biases"),
        ("rank_pattern", IsEmpty, "per-module ranks"),
        ("alpha_pattern", IsEmpty, "per-module alphas"),
        ("layers_to_transform", IsEmpty, "adapters on selected layers only"),
        ("layer_replication", IsEmpty, "layer replication"),
        ("exclude_modules", IsEmpty, "excluded modules"),
        ("target_parameters", IsEmpty, "adapters on parameters"),
        ("trainable_token_indices", IsEmpty, "trainable tokens"),
        ("alora_invocation_tokens", IsEmpty, "activated LoRA"),
        ("use_qalora", n => n is null || n.GetValue<bool>() == false, "QALoRA"),
    ];

    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        _ => false,
    };

    /// <summary>Writes the config of an adapter trained on <paramref name="baseModel"/>, its targets as resolved.</summary>
    public static void Write(string directory, LoraOptions options, IReadOnlyList<string> targetModules, string baseModel)
    {
        var json = new JsonObject
        {
            ["base_model_name_or_path"] = baseModel,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["lora_alpha"] = options.Alpha,
            ["lora_dropout"] = options.Dropout,
            ["modules_to_save"] = options.ModulesToSave.Length == 0 ? null : new JsonArray(options.ModulesToSave.Select(m => (JsonNode)m).ToArray()),
            ["peft_type"] = "LORA",
            ["r"] = options.R,
            ["target_modules"] = new JsonArray(targetModules.Select(m => (JsonNode)m).ToArray()),
            ["task_type"] = "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = options.UseRslora,
        };
        ModelWriter.WriteJson(Path.Combine(directory, FileName), json);
    }

    /// <summary>The adapter's settings and the base model it names (null when it names none).</summary>
    public static (LoraOptions Options, string? BaseModel) Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"'{directory}' is not a PEFT adapter directory: it has no {FileName}. Point at the directory PEFT's save_pretrained (or KtoTransformer.Save of a LoRA run) wrote.");
        }

        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ModelFormatException($"'{path}' does not hold a JSON object.");
            var peftType = json["peft_type"]?.GetValue<string>();
            if (peftType != "LORA")
            {
                throw new ModelFormatException($"'{path}' describes a {peftType ?? "(no peft_type)"} adapter; only LoRA adapters (peft_type \"LORA\") are supported.");
            }

            if (json["task_type"]?.GetValue<string>() is { } task && task != "CAUSAL_LM")
            {
                throw new ModelFormatException($"'{path}' is a {task} adapter; only CAUSAL_LM adapters of a causal language model are supported.");
            }

            foreach (var (key, isDefault, meaning) in Unsupported)
            {
                if (!isDefault(json[key]))
                {
                    throw new ModelFormatException($"'{path}' sets {key} = {json[key]!.ToJsonString()} ({meaning}), which this library does not implement; only plain LoRA adapters load.");
                }
            }

            var options = new LoraOptions
            {
                R = Required(json, "r", path).GetValue<int>(),
                Alpha = Required(json, "lora_alpha", path).GetValue<double>(),
                Dropout = json["lora_dropout"]?.GetValue<double>() ?? 0,
                UseRslora = json["use_rslora"]?.GetValue<bool>() ?? false,
                TargetModules = Required(json, "target_modules", path) switch
                {
                    JsonArray list => list.Select(t => t!.GetValue<string>()).ToArray(),
                    JsonValue v when v.GetValue<string>() == LoraOptions.AllLinear => [LoraOptions.AllLinear],
                    var other => throw new ModelFormatException(
                        $"'{path}': target_modules {other.ToJsonString()} is a regular expression; adapters whose target_modules is a list of module names load here."),
                },
                ModulesToSave = json["modules_to_save"] is JsonArray saved ? saved.Select(m => m!.GetValue<string>()).ToArray() : [],
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ModelFormatException($"'{path}' holds an invalid LoRA setting: {e.Message}");
            }
            return (options, json["base_model_name_or_path"]?.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException and not ModelFormatException)
        {
            throw new ModelFormatException($"'{path}' is not a valid PEFT adapter config: {e.Message}");
        }
    }

    private static JsonNode Required(JsonObject json, string key, string path) =>
        json[key] ?? throw new ModelFormatException($"'{path}' lacks '{key}', which every PEFT LoRA config has.");
}
