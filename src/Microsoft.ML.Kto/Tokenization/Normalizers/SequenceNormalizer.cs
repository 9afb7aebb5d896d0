namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Applies normalizers one after the other.</summary>
internal sealed class SequenceNormalizer : INormalizer
{
    private readonly INormalizer[] _steps;

    public SequenceNormalizer(INormalizer[] steps) => _steps = steps;

    public string Normalize(string text)
    {
        foreach (var step in _steps)
        {
            text = step.Normalize(text);
        }

        return text;
    }
}
