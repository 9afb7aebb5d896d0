using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Kto.Tests.Data;

/// <summary>Builds inputs for data tests from JSON text.</summary>
internal static class DataTestHelpers
{
    public static JsonObject Row(string json) => JsonNode.Parse(json)!.AsObject();

    public static KtoDataset LoadRows(params string[] jsonRows) => KtoDatasetLoader.Load(jsonRows.Select(Row));

    public static KtoDataException LoadFails(params string[] jsonRows) =>
        Assert.ThrowsExactly<KtoDataException>(() => LoadRows(jsonRows));

    public static void AssertJsonEqual(string expectedJson, JsonNode? actual) =>
        Assert.IsTrue(
            JsonNode.DeepEquals(JsonNode.Parse(expectedJson), actual),
            $"Expected {expectedJson} but got {actual?.ToJsonString() ?? "null"}.");
}
