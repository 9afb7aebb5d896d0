using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static Microsoft.ML.Kto.Tests.Data.DataTestHelpers;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class LabelParsingTests
{
    [TestMethod]
    [DataRow("true", true)]
    [DataRow("false", false)]
    [DataRow("1", true)]
    [DataRow("0", false)]
    [DataRow("1.0", true)]
    [DataRow("0.0", false)]
    [DataRow("1e0", true)]
    [DataRow("\"true\"", true)]
    [DataRow("\"false\"", false)]
    [DataRow("\"True\"", true)]
    [DataRow("\"FALSE\"", false)]
    public void AcceptedLabelValues(string labelJson, bool expected)
    {
        var dataset = LoadRows($$"""{"prompt": "p", "completion": "c", "label": {{labelJson}}}""");

        Assert.AreEqual(expected, dataset.Rows.Single().Label);
    }

    [TestMethod]
    [DataRow("\"yes\"", "\"yes\"")]
    [DataRow("2", "2")]
    [DataRow("-1", "-1")]
    [DataRow("0.5", "0.5")]
    [DataRow("\"1\"", "\"1\"")]
    [DataRow("\"\"", "\"\"")]
    [DataRow("[true]", "[true]")]
    [DataRow("{\"value\": true}", "{\"value\":true}")]
    public void RejectedLabelValuesNameRowColumnValueAndFix(string labelJson, string shownAs)
    {
        var error = LoadFails(
            """{"prompt": "p", "completion": "c", "label": true}""",
            $$"""{"prompt": "p", "completion": "c", "label": {{labelJson}}}""");

        Assert.AreEqual(
            $"Row 2: column 'label' must be true/false (or 0/1); found {shownAs}. Fix the value or map another column with KtoColumnNames.Label.",
            error.Message);
        Assert.AreEqual(2, error.SourceRow);
        Assert.AreEqual("label", error.Column);
    }

    [TestMethod]
    public void LabelBuiltFromACSharpNumber()
    {
        var row = new JsonObject { ["prompt"] = "p", ["completion"] = "c", ["label"] = 1 };

        Assert.IsTrue(KtoDatasetLoader.Load([row]).Rows.Single().Label);
    }

    [TestMethod]
    public void NullLabelIsAnError()
    {
        var error = LoadFails("""{"prompt": "p", "completion": "c", "label": null}""");

        Assert.AreEqual(
            "Row 1: column 'label' is null. Give every row a value or map another column with KtoColumnNames.Label.",
            error.Message);
    }

    [TestMethod]
    public void LabelFromMappedColumn()
    {
        var dataset = KtoDatasetLoader.Load(
            [Row("""{"question": "q", "answer": "a", "good": 0, "label": "ignored"}""")],
            new KtoColumnNames { Prompt = "question", Completion = "answer", Label = "good" });

        var row = dataset.Rows.Single();
        Assert.IsFalse(row.Label);
        Assert.AreEqual("q", row.Prompt.Text);
        Assert.AreEqual("a", row.Completion.Text);
        AssertJsonEqual("\"ignored\"", row.ExtraColumns["label"]);
    }
}
