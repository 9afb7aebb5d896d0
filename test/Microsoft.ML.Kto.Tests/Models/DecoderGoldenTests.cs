using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Tests.Models;

[TestClass]
public sealed class DecoderGoldenTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<object[]> Cases => GoldenModels.Cases.Select(c => new object[] { c });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void PaddedBatchLogitsMatchTheReferenceImplementation(string name)
    {
        using var scope = DisposeScope.Open();
        using var model = GoldenModels.Load(name);
        var expected = GoldenModels.Expected(name);
        var ids = expected["input_ids"];
        var mask = expected["attention_mask"];
        var logits = model.Logits(ids, mask);
        var wanted = expected["logits"];
        CollectionAssert.AreEqual(wanted.Shape, logits.Shape);
        // Only real-token positions are meaningful (padding rows are masked out of everything that uses them).
        var real = mask.Ne(0).Unsqueeze(-1);
        var difference = (logits - wanted).Abs().MaskedFill(real.LogicalNot(), 0).Max().Item<double>();
        Assert.IsTrue(difference < Tolerance, $"{name}: max |logits - reference| = {difference}");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void EachPaddedRowGetsTheLogitsItGetsAlone(string name)
    {
        using var scope = DisposeScope.Open();
        using var model = GoldenModels.Load(name);
        var expected = GoldenModels.Expected(name);
        var mask = expected["attention_mask"].ToArray<long>();
        var width = expected["attention_mask"].Size(1);
        var batchLogits = model.Logits(expected["input_ids"], expected["attention_mask"]);
        for (var row = 0; row < 3; row++)
        {
            var alone = model.Logits(expected[$"single_input_ids_{row}"]);
            var reference = expected[$"single_logits_{row}"];
            Assert.IsTrue((alone - reference).Abs().Max().Item<double>() < Tolerance, $"{name} row {row} alone vs reference");
            var realColumns = Enumerable.Range(0, (int)width).Where(c => mask[row * width + c] != 0).Select(c => (long)c).ToArray();
            var fromBatch = batchLogits.Select(0, row).IndexSelect(0, Tensor.From<long>(realColumns));
            Assert.IsTrue((fromBatch - alone.Squeeze(0)).Abs().Max().Item<double>() < 1e-5, $"{name} row {row}: batched vs alone");
        }
    }

    [TestMethod]
    public void Bf16CheckpointLoadsIntoEveryRequestedDtype()
    {
        using var scope = DisposeScope.Open();
        using var bf16 = CausalLM.FromPretrained(GoldenModels.Directory("qwen2_bf16"), DType.BFloat16);
        Assert.AreEqual(DType.BFloat16, bf16.Parameters["model.embed_tokens.weight"].DType);
        Assert.AreEqual(DType.BFloat16, bf16.Config.TorchDType);
        var expected = GoldenModels.Expected("qwen2_bf16");
        var logits = bf16.Logits(expected["single_input_ids_0"]).To(DType.Float32);
        // bf16 arithmetic keeps ~3 significant digits.
        var difference = (logits - expected["single_logits_0"]).Abs().Max().Item<double>();
        Assert.IsTrue(difference < 0.1, $"bf16 forward differs by {difference}");
    }
}
