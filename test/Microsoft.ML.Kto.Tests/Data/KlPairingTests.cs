using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class KlPairingTests
{
    [TestMethod]
    public void TenRowsBatchFourRotateWithinEachChunk() =>
        CollectionAssert.AreEqual(new[] { 3, 0, 1, 2, 7, 4, 5, 6, 9, 8 }, KlPairing.SourceIndices(10, 4));

    [TestMethod]
    public void FinalChunkOfOneRowPairsWithItself() =>
        CollectionAssert.AreEqual(new[] { 3, 0, 1, 2, 7, 4, 5, 6, 8 }, KlPairing.SourceIndices(9, 4));

    [TestMethod]
    public void FewerRowsThanTheBatchFormOneChunk() =>
        CollectionAssert.AreEqual(new[] { 2, 0, 1 }, KlPairing.SourceIndices(3, 8));

    [TestMethod]
    public void NoRowsNoPairs() => Assert.AreEqual(0, KlPairing.SourceIndices(0, 4).Length);

    [TestMethod]
    [DataRow(0, 4, 3)]
    [DataRow(1, 4, 0)]
    [DataRow(3, 4, 2)]
    [DataRow(0, 1, 0)]
    public void SourcePositionInChunk(int position, int chunkLength, int expected) =>
        Assert.AreEqual(expected, KlPairing.SourcePositionInChunk(position, chunkLength));

    [TestMethod]
    [DataRow(1)]
    [DataRow(0)]
    public void BatchSizeBelowTwoIsRejectedWithTheReason(int batchSize)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => KlPairing.Validate(batchSize));

        Assert.AreEqual("perDeviceBatchSize", error.ParamName);
        StringAssert.StartsWith(error.Message, $"The per-device batch size is {batchSize}, but the 'kto' loss needs at least 2:");
        StringAssert.Contains(error.Message, "(TRL #2554)");
        StringAssert.Contains(error.Message, "'apo_zero_unpaired'");
    }

    [TestMethod]
    public void BatchSizeTwoIsAccepted() => KlPairing.Validate(2);
}
