namespace Microsoft.ML.Kto.Data;

/// <summary>What the loader detected in the input, for logs and progress reports.</summary>
/// <param name="Layout">Unpaired or paired data.</param>
/// <param name="ContentKind">Plain text (standard) or chat messages (conversational).</param>
/// <param name="SourceRowCount">Rows (or JSONL objects) read.</param>
/// <param name="ImplicitPromptRowCount">
/// Paired rows whose prompt was taken as the common beginning of chosen and rejected (no prompt value, or a prompt of
/// the other kind, as TRL's <c>maybe_extract_prompt</c> does). Always 0 for unpaired data.
/// </param>
public sealed record KtoDataFormat(KtoDataLayout Layout, KtoContentKind ContentKind, int SourceRowCount, int ImplicitPromptRowCount);
