using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Tests.Models;

[TestClass]
public sealed class CompletionLogProbsTests
{
    [TestMethod]
    public void EqualsTheNaiveLogSoftmaxGatherSum()
    {
        using var scope = DisposeScope.Open();
        using var model = GoldenModels.Load("qwen3");
        var expected = GoldenModels.Expected("qwen3");
        var ids = expected["input_ids"];
        var attention = expected["attention_mask"];
        long batch = ids.Size(0), length = ids.Size(1);
        // Completion = the last 3 real tokens of each row.
        var mask = attention.ToArray<long>();
        var completion = new long[mask.Length];
        for (var b = 0; b < batch; b++)
        {
            var real = Enumerable.Range(0, (int)length).Where(t => mask[b * length + t] != 0).ToArray();
            foreach (var t in real[^3..]) completion[b * length + t] = 1;
        }

        var result = CompletionLogProbs.Compute(model, ids, attention, completion, withStatistics: true);

        var logSoftmax = model.Logits(ids, attention).LogSoftmax(-1).ToArray<float>();
        var tokenIds = ids.ToArray<long>();
        var vocab = model.Config.VocabSize;
        var entropyLogits = model.Logits(ids, attention).ToArray<float>();
        for (var b = 0; b < batch; b++)
        {
            double sum = 0, entropy = 0, meanLogit = 0;
            for (var t = 1; t < length; t++)
            {
                if (completion[b * length + t] == 0) continue;
                var at = (b * length + t - 1) * vocab;
                sum += logSoftmax[at + tokenIds[b * length + t]];
                for (var v = 0; v < vocab; v++)
                {
                    entropy -= Math.Exp(logSoftmax[at + v]) * logSoftmax[at + v];
                    meanLogit += entropyLogits[at + v] / vocab;
                }
            }
            Assert.AreEqual(sum, result.LogProbs.ToArray<float>()[b], 1e-4, $"row {b} log-prob");
            Assert.AreEqual(entropy, result.EntropySums!.ToArray<float>()[b], 1e-3, $"row {b} entropy");
            Assert.AreEqual(meanLogit, result.MeanLogitSums!.ToArray<float>()[b], 1e-4, $"row {b} mean logit");
            Assert.AreEqual(3L, result.TokenCounts[b]);
        }
    }

    [TestMethod]
    public void GradientsFlowToTheParameters()
    {
        using var scope = DisposeScope.Open();
        using var model = GoldenModels.Load("llama");
        model.SetRequiresGrad(true);
        var ids = Tensor.From<long>([1, 5, 9, 3], [1, 4]);
        var result = CompletionLogProbs.Compute(model, ids, Tensor.Ones([1, 4], DType.Int64), [0, 0, 1, 1]);
        result.LogProbs.Sum().Backward();
        foreach (var (name, p) in model.Parameters)
            Assert.IsNotNull(p.Grad, $"{name} has no gradient");
    }
}
