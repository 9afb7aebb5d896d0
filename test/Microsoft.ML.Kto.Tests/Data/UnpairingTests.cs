using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Kto.Tests.Data.DataTestHelpers;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class UnpairingTests
{
    [TestMethod]
    public void PairedRowsAlternateLabelsWithoutSamePromptNeighboursAndCopyOtherColumns()
    {
        var dataset = LoadRows(
            """{"prompt": "p0", "chosen": "c0", "rejected": "r0", "id": 10, "meta": {"source": "a"}}""",
            """{"prompt": "p1", "chosen": "c1", "rejected": "r1", "id": 11, "meta": null}""",
            """{"prompt": "p2", "chosen": "c2", "rejected": "r2", "id": 12, "meta": {"source": "c"}}""");

        Assert.AreEqual(new KtoDataFormat(KtoDataLayout.Paired, KtoContentKind.Text, 3, 0), dataset.Format);
        CollectionAssert.AreEqual(new[] { "p0", "p1", "p2", "p0", "p1", "p2" }, dataset.Rows.Select(row => row.Prompt.Text).ToArray());
        CollectionAssert.AreEqual(new[] { "c0", "r1", "c2", "r0", "c1", "r2" }, dataset.Rows.Select(row => row.Completion.Text).ToArray());
        CollectionAssert.AreEqual(new[] { true, false, true, false, true, false }, dataset.Rows.Select(row => row.Label).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 1, 2, 3 }, dataset.Rows.Select(row => row.SourceRow).ToArray());
        CollectionAssert.AreEqual(new[] { 10, 11, 12, 10, 11, 12 }, dataset.Rows.Select(row => (int)row.ExtraColumns["id"]!).ToArray());
        AssertJsonEqual("""{"source": "a"}""", dataset.Rows[3].ExtraColumns["meta"]);
        Assert.IsNull(dataset.Rows[1].ExtraColumns["meta"]);
        CollectionAssert.AreEquivalent(new[] { "id", "meta" }, dataset.Rows[0].ExtraColumns.Keys.ToArray());
        Assert.AreEqual(new ClassBalance(3, 3), dataset.Balance);
    }

    [TestMethod]
    public void UnpairedRowsKeepTheirOrderAndColumns()
    {
        var dataset = LoadRows(
            """{"prompt": "p0", "completion": "c0", "label": false, "score": 0.1}""",
            """{"prompt": "p1", "completion": "c1", "label": true, "score": 0.9}""");

        Assert.AreEqual(new KtoDataFormat(KtoDataLayout.Unpaired, KtoContentKind.Text, 2, 0), dataset.Format);
        CollectionAssert.AreEqual(new[] { "c0", "c1" }, dataset.Rows.Select(row => row.Completion.Text).ToArray());
        CollectionAssert.AreEqual(new[] { false, true }, dataset.Rows.Select(row => row.Label).ToArray());
        AssertJsonEqual("0.9", dataset.Rows[1].ExtraColumns["score"]);
        Assert.AreEqual(1, dataset.Rows[1].ExtraColumns.Count);
    }

    [TestMethod]
    public void TypedUnpairedExamples()
    {
        var dataset = KtoDatasetLoader.Load(new[]
        {
            new KtoExample { Prompt = "p0", Completion = "c0", Label = true },
            new KtoExample { Prompt = "p1", Completion = "c1", Label = false },
        });

        CollectionAssert.AreEqual(new[] { "p0", "p1" }, dataset.Rows.Select(row => row.Prompt.Text).ToArray());
        CollectionAssert.AreEqual(new[] { true, false }, dataset.Rows.Select(row => row.Label).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2 }, dataset.Rows.Select(row => row.SourceRow).ToArray());
        Assert.AreEqual(0, dataset.Rows[0].ExtraColumns.Count);
    }

    [TestMethod]
    public void BothUnpairedRowsGetTheToolsAndTemplateArguments()
    {
        var dataset = LoadRows("""
            {"prompt": [{"role": "user", "content": "Weather?"}],
             "chosen": [{"role": "assistant", "content": "Let me check."}],
             "rejected": [{"role": "assistant", "content": "No."}],
             "tools": [{"type": "function", "function": {"name": "get_weather"}}],
             "chat_template_kwargs": {"enable_thinking": false}}
            """);

        foreach (var row in dataset.Rows)
        {
            AssertJsonEqual("""[{"type": "function", "function": {"name": "get_weather"}}]""", row.Tools);
            AssertJsonEqual("""{"enable_thinking": false}""", row.ChatTemplateKwargs);
            AssertJsonEqual("""[{"role": "user", "content": "Weather?"}]""", row.Prompt.Messages);
            Assert.AreEqual(0, row.ExtraColumns.Count);
        }
    }
}
