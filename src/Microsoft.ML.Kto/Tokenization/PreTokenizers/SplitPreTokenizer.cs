using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>
/// Splits on the matches of a pattern with a delimiter behavior. Also serves the pre-tokenizers that are a
/// fixed pattern and behavior (Digits, Punctuation, Whitespace, WhitespaceSplit).
/// </summary>
internal sealed class SplitPreTokenizer : IPreTokenizer
{
    private readonly PieceSplitter _splitter;

    public SplitPreTokenizer(ITextPattern pattern, SplitDelimiterBehavior behavior, bool invert)
    {
        _splitter = (piece, output) => PatternSplitter.Split(piece, pattern, behavior, invert, output);
    }

    public void PreTokenize(PreTokenizedText text) => text.Split(_splitter);
}
