using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models.Safetensors;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// Builds <see cref="CausalLM"/>s from checkpoints (strictly checked) or from random initialisation. Both walk the
/// module tree's <c>named_parameters()</c>: the names and shapes a config implies are the model's own.
/// </summary>
public static class ModelLoader
{
    // Buffers some older checkpoints store; they are recomputed from the config.
    private static bool IsIgnorableBuffer(string name) => name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal);

    /// <summary>
    /// Loads a model directory: <c>model.safetensors</c>, or shards listed in <c>model.safetensors.index.json</c>,
    /// in any of F32/BF16/F16, cast to <paramref name="dtype"/>. Every expected tensor must be present with its
    /// exact shape and nothing unexpected may be there; the error lists every discrepancy.
    /// </summary>
    public static CausalLM Load(string directory, ScalarType dtype, Device device)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Model directory '{directory}' does not exist.");
        }

        var config = ModelConfig.Load(directory);
        var shards = OpenShards(directory);
        CausalLM? model = null;
        try
        {
            model = CausalLM.Empty(config, dtype, device);
            var parameters = model.named_parameters().ToList();
            CheckTensors(directory, config, parameters, shards);
            using (no_grad())
            {
                foreach (var (name, parameter) in parameters)
                {
                    shards[name].ReadInto(name, parameter);
                }
            }

            return model;
        }
        catch
        {
            model?.Dispose();
            throw;
        }
        finally
        {
            foreach (var file in shards.Values.Distinct())
            {
                file.Dispose();
            }
        }
    }

    /// <summary>
    /// Random initialisation from a config, seeded, as HF's <c>_init_weights</c>: linear and embedding matrices
    /// N(0, initializer_range), biases 0, norm weights 1. Values are drawn on the CPU in module order, so a seed gives
    /// the same model on every device.
    /// </summary>
    public static CausalLM Initialize(ModelConfig config, ulong seed, ScalarType dtype, Device device)
    {
        var model = CausalLM.Empty(config, dtype, device);
        using var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            // Each draw is freed before the next: kept to the end, they would take several times the model's memory
            // (named_modules() also yields each module under the C# field names TorchSharp registers).
            using var scope = NewDisposeScope();
            switch (module)
            {
                case Linear linear:
                    linear.Weight.copy_(Normal(linear.Weight.shape, config.InitializerRange, generator));
                    linear.Bias?.zero_();
                    break;
                case Embedding embedding:
                    embedding.Weight.copy_(Normal(embedding.Weight.shape, config.InitializerRange, generator));
                    break;
                case RmsNorm norm:
                    norm.Weight.fill_(1);
                    break;
            }
        }

        return model;
    }

    private static Tensor Normal(long[] shape, double std, Generator generator) =>
        empty(shape, ScalarType.Float32).normal_(0, std, generator);

    private static void CheckTensors(string directory, ModelConfig config, IReadOnlyList<(string Name, Parameter Parameter)> parameters,
        Dictionary<string, SafetensorsFile> shards)
    {
        var expected = parameters.ToDictionary(p => p.Name, p => p.Parameter.shape, StringComparer.Ordinal);
        var missing = parameters.Where(p => !shards.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        var unexpected = shards.Keys
            .Where(n => !expected.ContainsKey(n) && !IsIgnorableBuffer(n) && !(config.TieWordEmbeddings && n == "lm_head.weight"))
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        var wrongShape = expected
            .Where(p => shards.TryGetValue(p.Key, out var f) && !f.Entries[p.Key].Shape.SequenceEqual(p.Value))
            .Select(p => $"{p.Key} (checkpoint [{string.Join(", ", shards[p.Key].Entries[p.Key].Shape)}], config implies [{string.Join(", ", p.Value)}])")
            .ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count == 0)
        {
            return;
        }

        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"missing tensors: {string.Join(", ", missing)}");
        }

        if (unexpected.Count > 0)
        {
            problems.Add($"unexpected tensors: {string.Join(", ", unexpected)}");
        }

        if (wrongShape.Count > 0)
        {
            problems.Add($"wrongly shaped tensors: {string.Join("; ", wrongShape)}");
        }

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
            foreach (var name in file.Entries.Keys)
            {
                byName[name] = file;
            }

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
                    if (!File.Exists(shardPath))
                    {
                        throw new ModelFormatException($"'{index}' lists shard '{shard}', which is missing.");
                    }

                    files[shard] = file = SafetensorsFile.Open(shardPath);
                }
                if (!file.Entries.ContainsKey(name))
                {
                    throw new ModelFormatException($"'{index}' says '{name}' is in '{shard}', but that file does not hold it.");
                }

                byName[name] = file;
            }
            // Each shard's tensors must be the ones the index assigns to it: a tensor no index entry names would
            // otherwise be silently ignored.
            foreach (var (shard, file) in files)
            {
                foreach (var name in file.Entries.Keys)
                {
                    if (!byName.TryGetValue(name, out var listed) || !ReferenceEquals(listed, file))
                    {
                        throw new ModelFormatException($"'{index}' does not assign tensor '{name}' to '{shard}', which holds it. Regenerate the index or remove the tensor.");
                    }
                }
            }

            return byName;
        }
        catch (JsonException e)
        {
            foreach (var f in files.Values)
            {
                f.Dispose();
            }

            throw new ModelFormatException($"'{index}' is not valid JSON: {e.Message}");
        }
        catch
        {
            foreach (var f in files.Values)
            {
                f.Dispose();
            }

            throw;
        }
    }
}
