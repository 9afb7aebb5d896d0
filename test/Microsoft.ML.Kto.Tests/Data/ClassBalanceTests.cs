using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class ClassBalanceTests
{
    [TestMethod]
    public void CountsLabels()
    {
        var rows = new[] { true, false, true, true }
            .Select((label, index) => new KtoRow(KtoContent.FromText("p"), KtoContent.FromText("c"), label, index + 1));

        Assert.AreEqual(new ClassBalance(3, 1), ClassBalance.Count(rows));
    }

    [TestMethod]
    [DataRow(5, 5, 1.0, 1.0)]
    [DataRow(4, 3, 1.0, 1.0)]
    [DataRow(8, 2, 1.0, 4.0)]
    [DataRow(8, 2, 1.0, 3.0)]
    [DataRow(8, 2, 0.25, 1.0)]
    [DataRow(8, 2, 0.3333, 1.0)]
    [DataRow(2, 8, 4.0, 1.0)]
    [DataRow(3, 6, 2.0, 0.75)]
    public void RatioFromOneToFourThirdsIsBalanced(int desirable, int undesirable, double desirableWeight, double undesirableWeight) =>
        Assert.AreEqual(0, new ClassBalance(desirable, undesirable).GetWarnings(desirableWeight, undesirableWeight).Count);

    [TestMethod]
    public void TooManyDesirableRowsSuggestsWeights()
    {
        var warnings = new ClassBalance(8, 2).GetWarnings();

        Assert.AreEqual(
            "Desirable and undesirable rows are out of balance: DesirableWeight × desirable rows / (UndesirableWeight × undesirable rows) = " +
            "1 × 8 / (1 × 2) = 4, but the KTO paper recommends 1 to 4/3. Set UndesirableWeight to a value in [3, 4] or " +
            "DesirableWeight to a value in [0.25, 0.3333] (not both).",
            warnings.Single());
    }

    [TestMethod]
    public void TooFewDesirableRowsSuggestsWeights()
    {
        var warnings = new ClassBalance(2, 8).GetWarnings();

        StringAssert.Contains(warnings.Single(), "= 1 × 2 / (1 × 8) = 0.25, but");
        StringAssert.EndsWith(warnings.Single(), "Set UndesirableWeight to a value in [0.1875, 0.25] or DesirableWeight to a value in [4, 5.333] (not both).");
    }

    [TestMethod]
    [DataRow(5, 3)]
    [DataRow(3, 4)]
    [DataRow(100, 74)]
    public void RatioJustOutsideTheRangeWarns(int desirable, int undesirable) =>
        Assert.AreEqual(1, new ClassBalance(desirable, undesirable).GetWarnings().Count);

    [TestMethod]
    public void SuggestedWeightsAreInsideTheRange()
    {
        var balance = new ClassBalance(7, 3);
        var suggestion = balance.GetWarnings().Single();
        StringAssert.EndsWith(suggestion, "Set UndesirableWeight to a value in [1.75, 2.333] or DesirableWeight to a value in [0.4286, 0.5714] (not both).");

        foreach (var (desirableWeight, undesirableWeight) in new[] { (1.0, 1.75), (1.0, 2.333), (0.4286, 1.0), (0.5714, 1.0) })
        {
            Assert.AreEqual(0, balance.GetWarnings(desirableWeight, undesirableWeight).Count, $"{desirableWeight}/{undesirableWeight}");
        }
    }

    [TestMethod]
    public void MissingClassWarnsOnce()
    {
        Assert.AreEqual(
            "The data has no desirable rows (label true), only 5 undesirable ones. KTO can learn from undesirable examples alone, but use a conservative learning rate.",
            new ClassBalance(0, 5).GetWarnings().Single());
        StringAssert.StartsWith(new ClassBalance(4, 0).GetWarnings(2.0, 1.0).Single(), "The data has no undesirable rows (label false), only 4 desirable ones.");
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-1.0)]
    [DataRow(double.NaN)]
    [DataRow(double.PositiveInfinity)]
    public void WeightsMustBePositiveFinite(double weight)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ClassBalance(1, 1).GetWarnings(undesirableWeight: weight));

        Assert.AreEqual("undesirableWeight", error.ParamName);
    }
}
