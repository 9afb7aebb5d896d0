using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models.Safetensors;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>Writes a model directory that Hugging Face <c>transformers</c> loads unchanged.</summary>
internal static class ModelWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Save(ICausalLM model, string directory, ScalarType dtype)
    {
        if (model is CausalLM { Lora: not null })
        {
            // Its parameters include the adapters, which a plain Hugging Face checkpoint has no place for.
            throw new InvalidOperationException("The model carries LoRA adapters: save them with its Lora.Save (PEFT's layout), or fold them in with Lora.MergeAndUnload first.");
        }

        Directory.CreateDirectory(directory);
        using (NewDisposeScope())
        using (no_grad())
        {
            // Tied embeddings are not registered as lm_head, so named_parameters() holds what HF's safetensors hold.
            var tensors = model.Module.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter.detach().to(dtype)));
            SafetensorsIO.Write(Path.Combine(directory, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        }
        WriteJson(Path.Combine(directory, "generation_config.json"), GenerationConfigOf(model.Config));
        // Last: loaders recognise a model directory by config.json, so it appears only once the rest is complete.
        WriteJson(Path.Combine(directory, "config.json"), model.Config.ToJson(dtype));
    }

    private static JsonObject GenerationConfigOf(ModelConfig config)
    {
        var json = new JsonObject();
        if (config.BosTokenId is { } bos)
        {
            json["bos_token_id"] = bos;
        }

        if (config.EosTokenIds.Count == 1)
        {
            json["eos_token_id"] = config.EosTokenIds[0];
        }
        else if (config.EosTokenIds.Count > 1)
        {
            json["eos_token_id"] = new JsonArray(config.EosTokenIds.Select(i => (JsonNode)i).ToArray());
        }

        if (config.PadTokenId is { } pad)
        {
            json["pad_token_id"] = pad;
        }

        json["transformers_version"] = config.Source["transformers_version"]?.GetValue<string>() ?? "4.51.3";
        return json;
    }

    /// <summary>Writes JSON to a temporary file and renames it into place, so readers never see half a file.</summary>
    internal static void WriteJson(string path, JsonNode json) => AtomicFile.WriteAllText(path, json.ToJsonString(Indented) + "\n");
}
