using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Torch.Tests;

[TestClass]
public sealed class OpValueTests
{
    private static Tensor M(float[] values, params long[] shape) => Tensor.From<float>(values, shape);

    [TestMethod]
    public void ArithmeticWithTensorsAndScalars()
    {
        using var scope = DisposeScope.Open();
        var a = M([1, 2, 3, 4], 2, 2);
        var b = M([10, 20, 30, 40], 2, 2);
        CollectionAssert.AreEqual(new float[] { 11, 22, 33, 44 }, (a + b).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { -9, -18, -27, -36 }, (a - b).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 10, 40, 90, 160 }, (a * b).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 0.5f, 1, 1.5f, 2 }, (a / 2).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 0, -1, -2, -3 }, (1 - a).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 12, 6, 4, 3 }, (12 / a).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 1, 4, 9, 16 }, a.Pow(2).ToArray<float>());
    }

    [TestMethod]
    public void MatmulMatchesHandComputation()
    {
        using var scope = DisposeScope.Open();
        var a = M([1, 2, 3, 4, 5, 6], 2, 3);
        var b = M([7, 8, 9, 10, 11, 12], 3, 2);
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        CollectionAssert.AreEqual(new float[] { 58, 64, 139, 154 }, a.Matmul(b).ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 2, 2 }, a.Matmul(b).Shape);
        var batched = a.Unsqueeze(0).Bmm(b.Unsqueeze(0));
        CollectionAssert.AreEqual(new long[] { 1, 2, 2 }, batched.Shape);
    }

    [TestMethod]
    public void UnaryFunctionsMatchFormulas()
    {
        using var scope = DisposeScope.Open();
        var x = M([-2, -0.5f, 0, 1.5f], 4);
        var xs = new[] { -2.0, -0.5, 0, 1.5 };
        AssertClose(xs.Select(v => 1 / (1 + Math.Exp(-v))), x.Sigmoid());
        AssertClose(xs.Select(v => Math.Log(1 / (1 + Math.Exp(-v)))), x.LogSigmoid());
        AssertClose(xs.Select(v => v / (1 + Math.Exp(-v))), x.Silu());
        AssertClose(xs.Select(Math.Tanh), x.Tanh());
        AssertClose(xs.Select(Math.Exp), x.Exp());
        AssertClose(xs.Select(v => Math.Max(v, 0)), x.Relu());
        AssertClose(xs.Select(v => Math.Clamp(v, -1, 1)), x.Clamp(-1, 1));
        AssertClose(new[] { 1.0, 2, 3 }.Select(v => 1 / Math.Sqrt(v)), M([1, 2, 3], 3).Rsqrt());
    }

    [TestMethod]
    public void ReductionsOverDimensions()
    {
        using var scope = DisposeScope.Open();
        var a = M([1, 5, 3, 4, 2, 6], 2, 3);
        Assert.AreEqual(21f, a.Sum().Item<float>());
        Assert.AreEqual(3.5f, a.Mean().Item<float>());
        CollectionAssert.AreEqual(new float[] { 9, 12 }, a.Sum(1).ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 2, 1 }, a.Sum(1, keepDim: true).Shape);
        var (values, indices) = a.Max(1);
        CollectionAssert.AreEqual(new float[] { 5, 6 }, values.ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 1, 2 }, indices.ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 1, 2 }, a.ArgMax(1).ToArray<long>());
        Assert.AreEqual(5L, a.ArgMax().Item<long>());
        AssertClose([Math.Log(Math.Exp(1) + Math.Exp(5) + Math.Exp(3)), Math.Log(Math.Exp(4) + Math.Exp(2) + Math.Exp(6))], a.LogSumExp(1));
        CollectionAssert.AreEqual(new float[] { 1, 6, 9, 4, 6, 12 }, a.CumSum(1).ToArray<float>());
    }

    [TestMethod]
    public void SoftmaxGatherAndCrossEntropy()
    {
        using var scope = DisposeScope.Open();
        var logits = M([1, 2, 3, 1, 1, 1], 2, 3);
        var denominator = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        AssertClose([Math.Exp(1) / denominator, Math.Exp(2) / denominator, Math.Exp(3) / denominator, 1 / 3.0, 1 / 3.0, 1 / 3.0], logits.Softmax(1));
        var targets = Tensor.From<long>([2, 0], [2]);
        var expected = new[] { 3 - Math.Log(denominator), -Math.Log(3) };
        AssertClose(expected, logits.LogSoftmax(1).Gather(1, targets.Unsqueeze(1)).Squeeze(1));
        AssertClose(expected, logits.SelectiveLogSoftmax(targets));
        AssertClose([-(expected[0] + expected[1]) / 2], logits.CrossEntropy(targets));
    }

    [TestMethod]
    public void FusedLogProbsCarryEntropyAndMeanLogitByHand()
    {
        using var scope = DisposeScope.Open();
        var logits = M([1, 2, 3, 1, 1, 1], 2, 3);
        var targets = Tensor.From<long>([2, 0], [2]);
        var logProbs = logits.SelectiveLogSoftmax(targets, out var entropy, out var meanLogit);
        var denominator = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        var p = new[] { Math.Exp(1) / denominator, Math.Exp(2) / denominator, Math.Exp(3) / denominator };
        AssertClose([3 - Math.Log(denominator), -Math.Log(3)], logProbs);
        AssertClose([-p.Sum(q => q * Math.Log(q)), Math.Log(3)], entropy);
        AssertClose([2.0, 1.0], meanLogit);
        Assert.IsFalse(entropy.RequiresGrad, "statistics are detached");
    }

    [TestMethod]
    public void ViewsAndShapes()
    {
        using var scope = DisposeScope.Open();
        var a = Tensor.Arange(0, 6, dtype: DType.Int64).View(2, 3);
        CollectionAssert.AreEqual(new long[] { 0, 3, 1, 4, 2, 5 }, a.Transpose(0, 1).Contiguous().ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 3, 2 }, a.Permute(1, 0).Shape);
        CollectionAssert.AreEqual(new long[] { 1, 2, 4, 5 }, a.Narrow(1, 1, 2).Contiguous().ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 3, 4, 5 }, a.Select(0, 1).ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 3, 4, 5, 0, 1, 2 }, a.Index(Tensor.From<long>([1, 0], [2])).ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 0, 2, 3, 5 }, a.Slice(1, 0, 3, 2).Contiguous().ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5 }, Tensor.Cat([a, a], 0).ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 2, 2, 3 }, Tensor.Stack([a, a], 0).Shape);
        CollectionAssert.AreEqual(new long[] { 0, 0, 1, 1, 2, 2 }, Tensor.Arange(0, 3).RepeatInterleave(2, 0).ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 2, 3, 2 }, a.Unsqueeze(-1).Expand(-1, -1, 2).Shape);
        var chunks = Tensor.Arange(0, 5).Chunk(2);
        Assert.AreEqual(2, chunks.Length);
        CollectionAssert.AreEqual(new long[] { 3, 4 }, chunks[1].ToArray<long>());
        var ones = Tensor.Ones([3, 3]);
        CollectionAssert.AreEqual(new float[] { 1, 1, 1, 0, 1, 1, 0, 0, 1 }, ones.Triu().ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 1, 0, 0, 1, 1, 0, 1, 1, 1 }, ones.Tril().ToArray<float>());
    }

    [TestMethod]
    public void WhereMaskedFillComparisonsTopKSort()
    {
        using var scope = DisposeScope.Open();
        var x = M([3, 1, 2], 3);
        var mask = x.Gt(1.5);
        CollectionAssert.AreEqual(new[] { true, false, true }, mask.ToArray<bool>());
        CollectionAssert.AreEqual(new float[] { 0, 1, 0 }, x.MaskedFill(mask, 0).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 3, -1, 2 }, Tensor.Where(mask, x, -x).ToArray<float>());
        var (top, topIndex) = x.TopK(2);
        CollectionAssert.AreEqual(new float[] { 3, 2 }, top.ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 0, 2 }, topIndex.ToArray<long>());
        var (sorted, order) = x.Sort(descending: false);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3 }, sorted.ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 1, 2, 0 }, order.ToArray<long>());
    }

    [TestMethod]
    public void DtypesAndConversion()
    {
        using var scope = DisposeScope.Open();
        var x = M([1.5f, -2.25f], 2);
        foreach (var dtype in new[] { DType.Float16, DType.BFloat16, DType.Float64, DType.Float32 })
        {
            var converted = x.To(dtype);
            Assert.AreEqual(dtype, converted.DType);
            CollectionAssert.AreEqual(new double[] { 1.5, -2.25 }, converted.To(DType.Float64).ToArray<double>());
        }
        CollectionAssert.AreEqual(new long[] { 1, -2 }, x.To(DType.Int64).ToArray<long>());
        CollectionAssert.AreEqual(new int[] { 1, -2 }, x.To(DType.Int32).ToArray<int>());
        Assert.AreEqual(Device.Cpu, x.Device);
    }

    [TestMethod]
    public void SeededRandomIsReproducible()
    {
        using var scope = DisposeScope.Open();
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        CollectionAssert.AreEqual(Tensor.Randn([16], g1).ToArray<float>(), Tensor.Randn([16], g2).ToArray<float>());
        var state = g1.GetState();
        var next = Tensor.Uniform([8], generator: g1).ToArray<float>();
        g1.SetState(state);
        CollectionAssert.AreEqual(next, Tensor.Uniform([8], generator: g1).ToArray<float>());
        var samples = Tensor.From<float>([0, 0, 1, 0], [4]).Multinomial(3, replacement: true, generator: g1);
        CollectionAssert.AreEqual(new long[] { 2, 2, 2 }, samples.ToArray<long>());
        var normal = Tensor.Normal([20000], 3, 2, g2).To(DType.Float64);
        Assert.AreEqual(3.0, normal.Mean().Item<double>(), 0.05);
    }

    internal static void AssertClose(IEnumerable<double> expected, Tensor actual, double tolerance = 1e-5)
    {
        using var asDouble = actual.To(DType.Float64);
        var values = asDouble.ToArray<double>();
        var wanted = expected.ToArray();
        Assert.AreEqual(wanted.Length, values.Length, "element count");
        for (var i = 0; i < wanted.Length; i++)
            Assert.AreEqual(wanted[i], values[i], tolerance, $"element {i}");
    }
}
