using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Lora;
using Microsoft.ML.Kto.Models.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>
/// PEFT adapters written by build/golden/models/make_lora_golden.py (PEFT's files, random non-zero B) on the golden base
/// models: the logits with the adapter loaded, and after merging it, match the independent PyTorch application of
/// W + s·B·A (s = α/r, or α/√r with rslora; modules to save replaced by their copies).
/// </summary>
[TestClass]
public sealed class LoraGoldenTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<object[]> Cases =>
    [
        ["llama_lora", "llama"],
        ["qwen2_rslora", "qwen2"],
        ["qwen3_lora", "qwen3"],
    ];

    private static string AdapterDirectory(string name) => RepoPaths.TestData(Path.Combine("lora", name));

    private static double MaxDifference(CausalLM model, string adapter)
    {
        var expected = SafetensorsIO.ReadAll(Path.Combine(AdapterDirectory(adapter), "expected.safetensors"), device: GoldenModels.Device);
        using var noGrad = no_grad();
        var mask = expected["attention_mask"];
        var logits = model.Logits(expected["input_ids"], mask);
        // Only real-token positions are meaningful, as in DecoderGoldenTests.
        return (logits - expected["logits"]).abs().masked_fill(mask.eq(0).unsqueeze(-1), 0).max().ToDouble();
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void LogitsWithTheAdapterMatchTheReferenceImplementation(string adapter, string baseModel)
    {
        using var scope = NewDisposeScope();
        using var model = GoldenModels.Load(baseModel);
        var lora = LoraModel.Load(model, AdapterDirectory(adapter));

        var difference = MaxDifference(model, adapter);
        Assert.IsTrue(difference < Tolerance, $"{adapter}: max |logits - reference| = {difference}");
        using (lora.Activate(null))
        {
            Assert.IsTrue(MaxDifference(model, adapter) > 1e-2, "the adapter matters");
        }
    }

    // qwen3_lora trains a copy of tied embeddings, which cannot be merged (see TiedEmbeddingCopiesAreNotMerged).
    public static IEnumerable<object[]> MergeableCases => Cases.Where(c => (string)c[0] != "qwen3_lora");

    [TestMethod]
    [DynamicData(nameof(MergeableCases))]
    public void MergingGivesTheSameLogits(string adapter, string baseModel)
    {
        using var scope = NewDisposeScope();
        using var model = GoldenModels.Load(baseModel);
        LoraModel.Load(model, AdapterDirectory(adapter)).MergeAndUnload();

        Assert.IsNull(model.Lora);
        var difference = MaxDifference(model, adapter);
        Assert.IsTrue(difference < Tolerance, $"{adapter} merged: max |logits - reference| = {difference}");
    }

    [TestMethod]
    public void TiedEmbeddingCopiesAreNotMerged()
    {
        using var scope = NewDisposeScope();
        using var model = GoldenModels.Load("qwen3");
        var lora = LoraModel.Load(model, AdapterDirectory("qwen3_lora"));
        var error = Assert.ThrowsException<InvalidOperationException>(lora.MergeAndUnload);
        StringAssert.Contains(error.Message, "tie_word_embeddings");
        Assert.IsTrue(MaxDifference(model, "qwen3_lora") < Tolerance, "a refused merge changes nothing");
    }
}
