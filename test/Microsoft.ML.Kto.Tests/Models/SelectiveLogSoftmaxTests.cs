using Microsoft.ML.Kto.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>The fused, chunked LM head + log-softmax against autograd through the plain formula.</summary>
[TestClass]
public sealed class SelectiveLogSoftmaxTests
{
    [TestMethod]
    [DataRow(7L, true)]   // chunks of 7 rows (the last one short), the head's output kept for backward
    [DataRow(7L, false)]  // the same, recomputed in backward
    [DataRow(64L, false)] // one chunk
    public void ValuesAndGradientsEqualTheUnfusedComputation(long chunkRows, bool keepLogits)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var hidden = randn([20, 12], generator: generator, dtype: ScalarType.Float64).requires_grad_();
        var weight = randn([50, 12], generator: generator, dtype: ScalarType.Float64).requires_grad_();
        var targets = randint(0, 50, [20], generator: generator);
        var upstream = randn([20], generator: generator, dtype: ScalarType.Float32);

        var (logProbs, entropy, meanLogit) = SelectiveLogSoftmax.Compute(hidden, weight, targets, withStatistics: true, chunkRows, keepLogits);
        (logProbs * upstream).sum().backward();
        var fusedHiddenGrad = hidden.grad!.clone();
        var fusedWeightGrad = weight.grad!.clone();
        hidden.grad!.zero_();
        weight.grad!.zero_();

        var logits = nn.functional.linear(hidden, weight).to(ScalarType.Float32);
        var logSoftmax = logits.log_softmax(-1);
        var expected = logSoftmax.gather(-1, targets.unsqueeze(-1)).squeeze(-1);
        (expected * upstream).sum().backward();

        Assert.IsTrue(logProbs.allclose(expected, rtol: 0, atol: 1e-5), "log-probs");
        Assert.IsTrue(entropy!.allclose(-(logSoftmax.exp() * logSoftmax).sum(-1), rtol: 0, atol: 1e-4), "entropy");
        Assert.IsTrue(meanLogit!.allclose(logits.mean([-1]), rtol: 0, atol: 1e-5), "mean logit");
        Assert.IsFalse(entropy.requires_grad || meanLogit.requires_grad, "statistics carry no gradient");
        var (withoutStatistics, none, _) = SelectiveLogSoftmax.Compute(hidden, weight, targets, withStatistics: false, chunkRows);
        Assert.IsNull(none);
        Assert.IsTrue(withoutStatistics.allclose(logProbs, rtol: 0, atol: 1e-6), "the log-probs do not depend on the statistics");
        Assert.IsTrue(fusedHiddenGrad.allclose(hidden.grad!, rtol: 0, atol: 1e-5), "gradient of the hidden states");
        Assert.IsTrue(fusedWeightGrad.allclose(weight.grad!, rtol: 0, atol: 1e-5), "gradient of the head weight");
    }

    [TestMethod]
    public void Bfloat16HeadGivesFloat32LogProbsCloseToFloat32()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(9);
        var hidden = randn([16, 32], generator: generator);
        var weight = randn([100, 32], generator: generator) * 0.1;
        var targets = randint(0, 100, [16], generator: generator);
        var (full, _, _) = SelectiveLogSoftmax.Compute(hidden, weight, targets);
        var (half, _, _) = SelectiveLogSoftmax.Compute(hidden.to(ScalarType.BFloat16), weight.to(ScalarType.BFloat16), targets);
        Assert.AreEqual(ScalarType.Float32, half.dtype);
        Assert.IsTrue(half.allclose(full, rtol: 0, atol: 0.1), "bf16 keeps ~3 significant digits of the logits");
    }
}
