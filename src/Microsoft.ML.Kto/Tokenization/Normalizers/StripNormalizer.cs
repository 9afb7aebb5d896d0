namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Removes leading and/or trailing whitespace.</summary>
internal sealed class StripNormalizer : INormalizer
{
    private readonly bool _left;
    private readonly bool _right;

    public StripNormalizer(bool left, bool right)
    {
        _left = left;
        _right = right;
    }

    public string Normalize(string text) => (_left, _right) switch
    {
        (true, true) => text.Trim(),
        (true, false) => text.TrimStart(),
        (false, true) => text.TrimEnd(),
        _ => text,
    };
}
