namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>Applies pre-tokenizers one after the other.</summary>
internal sealed class SequencePreTokenizer : IPreTokenizer
{
    private readonly IPreTokenizer[] steps;

    public SequencePreTokenizer(IPreTokenizer[] steps) => this.steps = steps;

    public void PreTokenize(PreTokenizedText text)
    {
        foreach (var step in steps)
        {
            step.PreTokenize(text);
        }
    }
}
