using Microsoft.ML.Kto.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

[TestClass]
public sealed class CompletionLogProbsTests
{
    [TestMethod]
    public void EqualsTheNaiveLogSoftmaxGatherSum()
    {
        using var scope = NewDisposeScope();
        using var model = GoldenModels.Load("qwen3");
        var expected = GoldenModels.Expected("qwen3");
        var ids = expected["input_ids"];
        var attention = expected["attention_mask"];
        long batch = ids.shape[0], length = ids.shape[1];
        // Completion = the last 3 real tokens of each row.
        var mask = attention.data<long>().ToArray();
        var completion = new long[mask.Length];
        for (var b = 0; b < batch; b++)
        {
            var real = Enumerable.Range(0, (int)length).Where(t => mask[b * length + t] != 0).ToArray();
            foreach (var t in real[^3..])
            {
                completion[b * length + t] = 1;
            }
        }

        var result = CompletionLogProbs.Compute(model, ids, attention, completion, withStatistics: true);

        var logSoftmax = model.Logits(ids, attention).log_softmax(-1).data<float>().ToArray();
        var tokenIds = ids.data<long>().ToArray();
        var vocab = model.Config.VocabSize;
        var entropyLogits = model.Logits(ids, attention).data<float>().ToArray();
        for (var b = 0; b < batch; b++)
        {
            double sum = 0, entropy = 0, meanLogit = 0;
            for (var t = 1; t < length; t++)
            {
                if (completion[b * length + t] == 0)
                {
                    continue;
                }

                var at = (b * length + t - 1) * vocab;
                sum += logSoftmax[at + tokenIds[b * length + t]];
                for (var v = 0; v < vocab; v++)
                {
                    entropy -= Math.Exp(logSoftmax[at + v]) * logSoftmax[at + v];
                    meanLogit += entropyLogits[at + v] / vocab;
                }
            }
            Assert.AreEqual(sum, result.LogProbs.data<float>().ToArray()[b], 1e-4, $"row {b} log-prob");
            Assert.AreEqual(entropy, result.EntropySums!.data<float>().ToArray()[b], 1e-3, $"row {b} entropy");
            Assert.AreEqual(meanLogit, result.MeanLogitSums!.data<float>().ToArray()[b], 1e-4, $"row {b} mean logit");
            Assert.AreEqual(3L, result.TokenCounts[b]);
        }
    }

    [TestMethod]
    public void GradientsFlowToTheParameters()
    {
        using var scope = NewDisposeScope();
        using var model = GoldenModels.Load("llama");
        model.SetRequiresGrad(true);
        var ids = tensor([1, 5, 9, 3], [1, 4], device: GoldenModels.Device);
        var result = CompletionLogProbs.Compute(model, ids, ones([1, 4], ScalarType.Int64, GoldenModels.Device), [0, 0, 1, 1]);
        result.LogProbs.sum().backward();
        foreach (var (name, p) in model.Parameters)
        {
            Assert.IsNotNull(p.grad, $"{name} has no gradient");
        }
    }
}
