namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>Applies pre-tokenizers one after the other.</summary>
internal sealed class SequencePreTokenizer : IPreTokenizer
{
    private readonly IPreTokenizer[] _steps;

    public SequencePreTokenizer(IPreTokenizer[] steps) => _steps = steps;

    public void PreTokenize(PreTokenizedText text)
    {
        foreach (var step in _steps)
        {
            step.PreTokenize(text);
        }
    }
}
