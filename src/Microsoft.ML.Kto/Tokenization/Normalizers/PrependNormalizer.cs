namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Prepends a fixed string to non-empty text (Llama-2's "▁" prefix).</summary>
internal sealed class PrependNormalizer : INormalizer
{
    private readonly string prefix;

    public PrependNormalizer(string prefix) => this.prefix = prefix;

    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}
