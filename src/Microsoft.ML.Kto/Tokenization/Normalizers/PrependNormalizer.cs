namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Prepends a fixed string to non-empty text (Llama-2's "▁" prefix).</summary>
internal sealed class PrependNormalizer : INormalizer
{
    private readonly string _prefix;

    public PrependNormalizer(string prefix) => _prefix = prefix;

    public string Normalize(string text) => text.Length == 0 ? text : _prefix + text;
}
