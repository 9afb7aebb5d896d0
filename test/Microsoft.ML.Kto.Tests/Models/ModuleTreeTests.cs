using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Safetensors;
using Microsoft.ML.Kto.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>The module tree is the list of parameter names; devices, optimizer groups and large-tensor I/O follow from it.</summary>
[TestClass]
public sealed class ModuleTreeTests
{
    private static JsonObject Config(string modelType, bool attentionBias = false, bool tied = false) => new()
    {
        ["model_type"] = modelType,
        ["vocab_size"] = 16,
        ["hidden_size"] = 8,
        ["intermediate_size"] = 12,
        ["num_hidden_layers"] = 1,
        ["num_attention_heads"] = 2,
        ["num_key_value_heads"] = 1,
        ["head_dim"] = 4,
        ["attention_bias"] = attentionBias,
        ["tie_word_embeddings"] = tied,
    };

    [TestMethod]
    public void NamedParametersAreHuggingFacesNamesInModuleOrder()
    {
        using var model = CausalLM.FromConfig(ModelConfig.Parse(Config("qwen3")), seed: 1);
        var names = model.named_parameters().Select(p => p.name).ToArray();
        CollectionAssert.AreEqual(new[]
        {
            "model.embed_tokens.weight",
            "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
            "model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.o_proj.weight",
            "model.layers.0.self_attn.q_norm.weight", "model.layers.0.self_attn.k_norm.weight",
            "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
            "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
            "model.norm.weight", "lm_head.weight",
        }, names);
        CollectionAssert.AreEqual(new long[] { 8, 8 }, model.Parameters["model.layers.0.self_attn.o_proj.weight"].shape);
        CollectionAssert.AreEqual(new long[] { 4, 8 }, model.Parameters["model.layers.0.self_attn.k_proj.weight"].shape);
    }

    [TestMethod]
    public void Qwen3AttentionBiasPutsABiasOnEveryProjectionAsHuggingFaceDoes()
    {
        using var model = CausalLM.FromConfig(ModelConfig.Parse(Config("qwen3", attentionBias: true)), seed: 1);
        foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "o_proj" })
        {
            Assert.IsTrue(model.Parameters.ContainsKey($"model.layers.0.self_attn.{projection}.bias"), projection);
        }

        using var qwen2 = CausalLM.FromConfig(ModelConfig.Parse(Config("qwen2")), seed: 1);
        Assert.IsTrue(qwen2.Parameters.ContainsKey("model.layers.0.self_attn.q_proj.bias"), "qwen2 always has q/k/v biases");
        Assert.IsFalse(qwen2.Parameters.ContainsKey("model.layers.0.self_attn.o_proj.bias"), "but none on o_proj");
    }

    [TestMethod]
    public void TiedEmbeddingsHaveNoLmHeadParameterAndTheHeadIsTheEmbedding()
    {
        using var model = CausalLM.FromConfig(ModelConfig.Parse(Config("qwen2", tied: true)), seed: 1);
        Assert.IsFalse(model.Parameters.ContainsKey("lm_head.weight"));
        Assert.AreSame(model.Parameters["model.embed_tokens.weight"], model.LmHeadWeight);
    }

    [TestMethod]
    public void WeightDecaySkipsBiasesAndNormWeights()
    {
        using var model = CausalLM.FromConfig(ModelConfig.Parse(Config("qwen3", attentionBias: true)), seed: 1);
        var (decay, noDecay) = AdamWParameterGroups.Split(model);
        Assert.IsTrue(noDecay.All(p => p.Name.EndsWith(".bias") || p.Name.Contains("norm")), string.Join(", ", noDecay.Select(p => p.Name)));
        Assert.IsTrue(decay.All(p => p.Name.EndsWith(".weight") && !p.Name.Contains("norm")), string.Join(", ", decay.Select(p => p.Name)));
        Assert.AreEqual(model.named_parameters().Count(), decay.Count + noDecay.Count);
        CollectionAssert.Contains(noDecay.Select(p => p.Name).ToList(), "model.layers.0.self_attn.q_norm.weight");
        CollectionAssert.Contains(noDecay.Select(p => p.Name).ToList(), "model.layers.0.self_attn.o_proj.bias");
        CollectionAssert.Contains(decay.Select(p => p.Name).ToList(), "model.embed_tokens.weight");
    }

    [TestMethod]
    public void ACudaDeviceOnTheCpuRuntimeIsOneErrorNamingTheSwitch()
    {
        if (cuda.is_available())
        {
            Assert.Inconclusive("This machine has CUDA; the error is for the CPU runtime.");
        }

        var e = Assert.ThrowsException<ArgumentException>(() => TorchTypes.ParseDevice("cuda:0"));
        StringAssert.Contains(e.Message, "-p:KtoTorchRuntime=cuda");
        Assert.AreEqual(1, e.Message.Split('\n').Length, "one line, not libtorch's dispatcher dump");
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => TorchTypes.ParseDevice("tpu")).Message, "cpu, cuda or cuda:N");
        Assert.AreEqual(DeviceType.CPU, TorchTypes.ParseDevice(" CPU ").type);
    }

    [TestMethod]
    public void TensorsLargerThanOneCopyPieceRoundTripThroughSafetensors()
    {
        var previous = TensorBytes.ChunkBytes;
        var path = Path.Combine(Path.GetTempPath(), $"kto-pieces-{Guid.NewGuid():N}.safetensors");
        try
        {
            TensorBytes.ChunkBytes = 40; // 10 float32 values per piece: a 7x9 tensor takes 7 pieces each way
            using var scope = NewDisposeScope();
            var source = arange(63, dtype: ScalarType.Float32).view(7, 9);
            SafetensorsIO.Write(path, new Dictionary<string, Tensor> { ["w"] = source });
            using var file = SafetensorsFile.Open(path);
            Assert.IsTrue(file.Read("w").allclose(source, rtol: 0, atol: 0));
            var destination = zeros([7, 9]);
            file.ReadInto("w", destination);
            Assert.IsTrue(destination.allclose(source, rtol: 0, atol: 0));
        }
        finally
        {
            TensorBytes.ChunkBytes = previous;
            File.Delete(path);
        }
    }
}
