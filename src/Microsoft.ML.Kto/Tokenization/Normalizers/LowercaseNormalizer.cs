namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Unicode lowercasing with Rust's <c>char::to_lowercase</c> semantics.</summary>
internal sealed class LowercaseNormalizer : INormalizer
{
    // U+0130 is the only code point whose unconditional full lowercase mapping (Rust's) differs from the
    // simple mapping that .NET applies: it lowercases to "i" plus a combining dot above.
    private const string CapitalIWithDot = "\u0130";
    private const string LowercaseIWithDot = "i\u0307";

    public static readonly LowercaseNormalizer Instance = new();

    public string Normalize(string text) =>
        text.Replace(CapitalIWithDot, LowercaseIWithDot, StringComparison.Ordinal).ToLowerInvariant();
}
