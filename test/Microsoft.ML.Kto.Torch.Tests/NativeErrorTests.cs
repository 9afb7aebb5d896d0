using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Torch.Tests;

[TestClass]
public sealed class NativeErrorTests
{
    [TestMethod]
    public void ShapeMismatchRaisesTorchExceptionWithLibtorchMessage()
    {
        using var scope = DisposeScope.Open();
        var a = Tensor.Ones([2, 3]);
        var b = Tensor.Ones([4, 5]);
        var e = Assert.ThrowsException<TorchException>(() => a.Matmul(b));
        StringAssert.Contains(e.Message, "cannot be multiplied");
        // The process survives and the binding keeps working.
        Assert.AreEqual(6f, a.Sum().Item<float>());
    }

    [TestMethod]
    public void OutOfRangeIndexRaisesTorchException()
    {
        using var scope = DisposeScope.Open();
        var a = Tensor.Ones([3]);
        var e = Assert.ThrowsException<TorchException>(() => a.Select(0, 7));
        StringAssert.Contains(e.Message, "out of range");
        Assert.ThrowsException<TorchException>(() => a.IndexSelect(0, Tensor.From<long>([5], [1])));
    }

    [TestMethod]
    public void WrongDtypeRaisesTorchException()
    {
        using var scope = DisposeScope.Open();
        var logits = Tensor.Ones([2, 3]);
        var floatTargets = Tensor.Ones([2]);
        var e = Assert.ThrowsException<TorchException>(() => logits.Gather(1, floatTargets.Unsqueeze(1)));
        StringAssert.Contains(e.Message, "int64");
    }

    [TestMethod]
    public void ManagedChecksNameTheProblem()
    {
        using var scope = DisposeScope.Open();
        var a = Tensor.Ones([2]);
        var e = Assert.ThrowsException<ArgumentException>(() => a.ToArray<long>());
        StringAssert.Contains(e.Message, "Float32");
        Assert.ThrowsException<ArgumentException>(() => Tensor.From<float>([1, 2, 3], [2, 2]));
        a.Dispose();
        Assert.ThrowsException<ObjectDisposedException>(() => a.Sum());
    }

    [TestMethod]
    public void ErrorsAreThreadLocalAndDoNotLeakIntoLaterCalls()
    {
        using var scope = DisposeScope.Open();
        Assert.ThrowsException<TorchException>(() => Tensor.Ones([2]).View(3));
        // A following successful call must not see the earlier message.
        Assert.AreEqual(2f, Tensor.Ones([2]).Sum().Item<float>());
        var other = Task.Run(() =>
        {
            using var s = DisposeScope.Open();
            return Assert.ThrowsException<TorchException>(() => Tensor.Ones([2]).View(3)).Message;
        }).Result;
        StringAssert.Contains(other, "invalid");
    }
}
