namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Removes leading and/or trailing whitespace.</summary>
internal sealed class StripNormalizer : INormalizer
{
    private readonly bool left;
    private readonly bool right;

    public StripNormalizer(bool left, bool right)
    {
        this.left = left;
        this.right = right;
    }

    public string Normalize(string text) => (left, right) switch
    {
        (true, true) => text.Trim(),
        (true, false) => text.TrimStart(),
        (false, true) => text.TrimEnd(),
        _ => text,
    };
}
