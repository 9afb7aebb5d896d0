using Microsoft.ML.Kto.Models;
using TorchSharp;
using static TorchSharp.torch;

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
        using var scope = NewDisposeScope();
        using var model = GoldenModels.Load(name);
        var expected = GoldenModels.Expected(name);
        var ids = expected["input_ids"];
        var mask = expected["attention_mask"];
        var logits = model.Logits(ids, mask);
        var wanted = expected["logits"];
        CollectionAssert.AreEqual(wanted.shape, logits.shape);
        // Only real-token positions are meaningful (padding rows are masked out of everything that uses them).
        var real = mask.ne(0).unsqueeze(-1);
        var difference = (logits - wanted).abs().masked_fill(real.logical_not(), 0).max().ToDouble();
        Assert.IsTrue(difference < Tolerance, $"{name}: max |logits - reference| = {difference}");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void EachPaddedRowGetsTheLogitsItGetsAlone(string name)
    {
        using var scope = NewDisposeScope();
        using var model = GoldenModels.Load(name);
        var expected = GoldenModels.Expected(name);
        var mask = expected["attention_mask"].data<long>().ToArray();
        var width = expected["attention_mask"].shape[1];
        var batchLogits = model.Logits(expected["input_ids"], expected["attention_mask"]);
        for (var row = 0; row < 3; row++)
        {
            var alone = model.Logits(expected[$"single_input_ids_{row}"]);
            var reference = expected[$"single_logits_{row}"];
            Assert.IsTrue((alone - reference).abs().max().ToDouble() < Tolerance, $"{name} row {row} alone vs reference");
            var realColumns = Enumerable.Range(0, (int)width).Where(c => mask[row * width + c] != 0).Select(c => (long)c).ToArray();
            var fromBatch = batchLogits.select(0, row).index_select(0, tensor(realColumns, device: GoldenModels.Device));
            Assert.IsTrue((fromBatch - alone.squeeze(0)).abs().max().ToDouble() < 1e-5, $"{name} row {row}: batched vs alone");
        }
    }

    [TestMethod]
    public void Bf16CheckpointLoadsIntoEveryRequestedDtype()
    {
        using var scope = NewDisposeScope();
        using var bf16 = GoldenModels.Load("qwen2_bf16", ScalarType.BFloat16);
        Assert.AreEqual(ScalarType.BFloat16, bf16.Parameters["model.embed_tokens.weight"].dtype);
        Assert.AreEqual(ScalarType.BFloat16, bf16.Config.TorchDType);
        var expected = GoldenModels.Expected("qwen2_bf16");
        var logits = bf16.Logits(expected["single_input_ids_0"]).to(ScalarType.Float32);
        // bf16 arithmetic keeps ~3 significant digits.
        var difference = (logits - expected["single_logits_0"]).abs().max().ToDouble();
        Assert.IsTrue(difference < 0.1, $"bf16 forward differs by {difference}");
    }
}
