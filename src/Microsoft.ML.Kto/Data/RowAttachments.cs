using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>What a source row carries besides prompt, completion and label; every row made from it gets the same.</summary>
internal sealed record RowAttachments(
    int SourceRow,
    JsonArray? Tools,
    JsonObject? ChatTemplateKwargs,
    IReadOnlyDictionary<string, JsonNode?> ExtraColumns)
{
    public KtoRow ToRow(KtoContent prompt, KtoContent completion, bool label) =>
        new(prompt, completion, label, SourceRow, Tools, ChatTemplateKwargs, ExtraColumns);
}
