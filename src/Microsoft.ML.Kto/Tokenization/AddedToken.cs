namespace Microsoft.ML.Kto.Tokenization;

/// <summary>A token from tokenizer.json's <c>added_tokens</c>, matched in the text before normalization and pre-tokenization.</summary>
/// <param name="SingleWord">Only matches when not glued to word characters on either side.</param>
/// <param name="Id">Token id.</param>
/// <param name="Content">Token text.</param>
/// <param name="Special">Whether decoding may skip it as a special token.</param>
/// <param name="LStrip">Also swallows the whitespace before it.</param>
/// <param name="RStrip">Also swallows the whitespace after it.</param>
/// <param name="Normalized">Matched (in its normalized form) in the normalized text, rather than in the raw text.</param>
internal sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord, bool LStrip, bool RStrip, bool Normalized);
