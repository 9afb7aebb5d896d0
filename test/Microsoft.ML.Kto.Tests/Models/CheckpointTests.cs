using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

[TestClass]
public sealed class CheckpointTests
{
    private string _dir = "";

    [TestInitialize]
    public void CreateDirectory() => _dir = System.IO.Directory.CreateTempSubdirectory("kto-model-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => System.IO.Directory.Delete(_dir, recursive: true);

    [TestMethod]
    [DataRow("qwen3")]
    [DataRow("llama3_rope")]
    [DataRow("qwen2")]
    public void SaveThenLoadIsBitExact(string name)
    {
        using var scope = NewDisposeScope();
        using var original = GoldenModels.Load(name);
        original.SaveTo(_dir);
        using var reloaded = CausalLM.FromPretrained(_dir);
        foreach (var (key, value) in original.Parameters)
        {
            CollectionAssert.AreEqual(value.data<float>().ToArray(), reloaded.Parameters[key].data<float>().ToArray(), key);
        }

        Assert.AreEqual(original.Config.TieWordEmbeddings, reloaded.Config.TieWordEmbeddings);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!;
        Assert.AreEqual("float32", config["torch_dtype"]!.GetValue<string>());
        Assert.IsTrue(File.Exists(Path.Combine(_dir, "generation_config.json")));
    }

    [TestMethod]
    public void RandomInitialisationIsSeededAndFollowsHfInit()
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.Load(GoldenModels.Directory("qwen3"));
        using var a = CausalLM.FromConfig(config, seed: 3);
        using var b = CausalLM.FromConfig(config, seed: 3);
        CollectionAssert.AreEqual(a.Parameters["model.layers.1.mlp.up_proj.weight"].data<float>().ToArray(), b.Parameters["model.layers.1.mlp.up_proj.weight"].data<float>().ToArray());
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 24).ToArray(), a.Parameters["model.layers.0.self_attn.q_norm.weight"].data<float>().ToArray());
        var std = a.Parameters["model.embed_tokens.weight"].pow(2).mean().sqrt().ToDouble();
        Assert.AreEqual(0.02, std, 0.002);
    }

    [TestMethod]
    public void MissingExtraAndWronglyShapedTensorsAreNamed()
    {
        using var scope = NewDisposeScope();
        var source = GoldenModels.Directory("llama");
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(_dir, "config.json"));
        var tensors = SafetensorsIO.ReadAll(Path.Combine(source, "model.safetensors"));
        tensors.Remove("model.layers.1.mlp.up_proj.weight");
        tensors["model.layers.0.self_attn.extra.weight"] = ones([2]);
        tensors["model.norm.weight"] = ones([63]);
        SafetensorsIO.Write(Path.Combine(_dir, "model.safetensors"), tensors);
        var e = Assert.ThrowsException<ModelFormatException>(() => CausalLM.FromPretrained(_dir));
        StringAssert.Contains(e.Message, "missing tensors: model.layers.1.mlp.up_proj.weight");
        StringAssert.Contains(e.Message, "unexpected tensors: model.layers.0.self_attn.extra.weight");
        StringAssert.Contains(e.Message, "model.norm.weight (checkpoint [63], config implies [64])");
    }

    [TestMethod]
    public void ShardedCheckpointsLoad()
    {
        using var scope = NewDisposeScope();
        var source = GoldenModels.Directory("qwen2");
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(_dir, "config.json"));
        var tensors = SafetensorsIO.ReadAll(Path.Combine(source, "model.safetensors"));
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var weightMap = new JsonObject();
        for (var shard = 0; shard < 2; shard++)
        {
            var file = $"model-0000{shard + 1}-of-00002.safetensors";
            var part = names.Where((_, i) => i % 2 == shard).ToList();
            SafetensorsIO.Write(Path.Combine(_dir, file), part.Select(n => new KeyValuePair<string, Tensor>(n, tensors[n])));
            foreach (var n in part)
            {
                weightMap[n] = file;
            }
        }
        File.WriteAllText(Path.Combine(_dir, "model.safetensors.index.json"), new JsonObject { ["weight_map"] = weightMap }.ToJsonString());
        using (var model = CausalLM.FromPretrained(_dir))
        {
            CollectionAssert.AreEqual(tensors["model.norm.weight"].data<float>().ToArray(), model.Parameters["model.norm.weight"].data<float>().ToArray());
        }

        // A tensor a shard holds but the index does not assign to it is an error, not silently ignored.
        weightMap.Remove(names[0]);
        File.WriteAllText(Path.Combine(_dir, "model.safetensors.index.json"), new JsonObject { ["weight_map"] = weightMap.DeepClone() }.ToJsonString());
        var e = Assert.ThrowsException<ModelFormatException>(() => CausalLM.FromPretrained(_dir));
        StringAssert.Contains(e.Message, $"does not assign tensor '{names[0]}'");
    }

    [TestMethod]
    public void ConfigErrorsNameTheProblem()
    {
        JsonObject Config(string modelType) => new()
        {
            ["model_type"] = modelType,
            ["vocab_size"] = 8,
            ["hidden_size"] = 8,
            ["intermediate_size"] = 8,
            ["num_hidden_layers"] = 1,
            ["num_attention_heads"] = 2,
        };
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => ModelConfig.Parse(Config("gpt2"))).Message, "model_type 'gpt2' is not supported");
        var unknown = Config("llama");
        unknown["quantization_config"] = new JsonObject();
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => ModelConfig.Parse(unknown)).Message, "'quantization_config'");
        var yarn = Config("qwen2");
        yarn["rope_scaling"] = new JsonObject { ["rope_type"] = "yarn", ["factor"] = 4.0 };
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => ModelConfig.Parse(yarn)).Message, "rope_scaling type 'yarn'");
        var missing = Config("llama");
        missing.Remove("vocab_size");
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => ModelConfig.Parse(missing)).Message, "missing 'vocab_size'");
        StringAssert.Contains(Assert.ThrowsException<ModelFormatException>(() => CausalLM.FromPretrained(_dir)).Message, "no config.json");
    }
}
