using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Torch;
using Microsoft.ML.Kto.Torch.Safetensors;

namespace Microsoft.ML.Kto.Models;

/// <summary>Builds <see cref="CausalLM"/>s from checkpoints (strictly checked) or from random initialisation.</summary>
public static class ModelLoader
{
    // Buffers some older checkpoints store; they are recomputed from the config.
    private static bool IsIgnorableBuffer(string name) => name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal);

    /// <summary>
    /// Loads a model directory: <c>model.safetensors</c>, or shards listed in <c>model.safetensors.index.json</c>,
    /// in any of F32/BF16/F16, cast to <paramref name="dtype"/>. Every expected tensor must be present with its
    /// exact shape and nothing unexpected may be there; the error lists every discrepancy.
    /// </summary>
    public static CausalLM Load(string directory, DType dtype, Device device)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Model directory '{directory}' does not exist.");
        var config = ModelConfig.Load(directory);
        var shards = OpenShards(directory);
        try
        {
            var specs = ParameterLayout.For(config);
            CheckTensors(directory, config, specs, shards);
            var parameters = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var spec in specs)
                parameters[spec.Name] = shards[spec.Name].Read(spec.Name, dtype, device).DetachFromDisposeScope();
            return new CausalLM(config, parameters, dtype, device);
        }
        finally
        {
            foreach (var file in shards.Values.Distinct()) file.Dispose();
        }
    }

    /// <summary>Random initialisation from a config, seeded.</summary>
    public static CausalLM Initialize(ModelConfig config, ulong seed, DType dtype, Device device)
    {
        using var generator = new Generator(seed);
        var parameters = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using (DisposeScope.Open())
        {
            foreach (var spec in ParameterLayout.For(config))
            {
                var value = spec.Kind switch
                {
                    ParameterKind.Matrix => Tensor.Normal(spec.Shape, 0, config.InitializerRange, generator, dtype, device),
                    ParameterKind.NormWeight => Tensor.Ones(spec.Shape, dtype, device),
                    _ => Tensor.Zeros(spec.Shape, dtype, device),
                };
                parameters[spec.Name] = value.DetachFromDisposeScope();
            }
        }
        return new CausalLM(config, parameters, dtype, device);
    }

    private static void CheckTensors(string directory, ModelConfig config, IReadOnlyList<ParameterSpec> specs,
        Dictionary<string, SafetensorsFile> shards)
    {
        var expected = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var missing = specs.Where(s => !shards.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        var unexpected = shards.Keys
            .Where(n => !expected.ContainsKey(n) && !IsIgnorableBuffer(n) && !(config.TieWordEmbeddings && n == "lm_head.weight"))
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        var wrongShape = specs
            .Where(s => shards.TryGetValue(s.Name, out var f) && !f.Entries[s.Name].Shape.SequenceEqual(s.Shape))
            .Select(s => $"{s.Name} (checkpoint [{string.Join(", ", shards[s.Name].Entries[s.Name].Shape)}], config implies [{string.Join(", ", s.Shape)}])")
            .ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count == 0) return;
        var problems = new List<string>();
        if (missing.Count > 0) problems.Add($"missing tensors: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) problems.Add($"unexpected tensors: {string.Join(", ", unexpected)}");
        if (wrongShape.Count > 0) problems.Add($"wrongly shaped tensors: {string.Join("; ", wrongShape)}");
        throw new ModelFormatException(
            $"The checkpoint in '{directory}' does not match its config.json ({config.ModelType}, {config.NumHiddenLayers} layers): " +
            string.Join(". ", problems) + ". Check that config.json belongs to these weights.");
    }

    // Tensor name -> the open file that holds it.
    private static Dictionary<string, SafetensorsFile> OpenShards(string directory)
    {
        var single = Path.Combine(directory, "model.safetensors");
        var index = Path.Combine(directory, "model.safetensors.index.json");
        var byName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            foreach (var name in file.Entries.Keys) byName[name] = file;
            return byName;
        }
        if (!File.Exists(index))
        {
            var hint = File.Exists(Path.Combine(directory, "pytorch_model.bin"))
                ? " It has pytorch_model.bin: convert it to safetensors first (transformers: model.save_pretrained(dir, safe_serialization=True))."
                : "";
            throw new ModelFormatException($"'{directory}' has neither model.safetensors nor model.safetensors.index.json.{hint}");
        }
        var files = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            var weightMap = (JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject)
                ?? throw new ModelFormatException($"'{index}' has no 'weight_map' object.");
            foreach (var (name, shardNode) in weightMap)
            {
                var shard = shardNode?.GetValue<string>() ?? throw new ModelFormatException($"'{index}': tensor '{name}' maps to no file.");
                if (!files.TryGetValue(shard, out var file))
                {
                    var shardPath = Path.Combine(directory, shard);
                    if (!File.Exists(shardPath)) throw new ModelFormatException($"'{index}' lists shard '{shard}', which is missing.");
                    files[shard] = file = SafetensorsFile.Open(shardPath);
                }
                if (!file.Entries.ContainsKey(name))
                    throw new ModelFormatException($"'{index}' says '{name}' is in '{shard}', but that file does not hold it.");
                byName[name] = file;
            }
            return byName;
        }
        catch (JsonException e)
        {
            foreach (var f in files.Values) f.Dispose();
            throw new ModelFormatException($"'{index}' is not valid JSON: {e.Message}");
        }
        catch
        {
            foreach (var f in files.Values) f.Dispose();
            throw;
        }
    }
}
