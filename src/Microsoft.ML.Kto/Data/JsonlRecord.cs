using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>One JSON object read from a JSON Lines file, with its 1-based line number.</summary>
/// <param name="LineNumber">The line the object was on (blank lines count).</param>
/// <param name="Value">The object.</param>
public readonly record struct JsonlRecord(int LineNumber, JsonObject Value);
