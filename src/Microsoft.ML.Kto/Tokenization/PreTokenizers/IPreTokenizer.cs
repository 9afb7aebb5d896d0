namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>Cuts (and possibly rewrites) normalized text into the words the model tokenizes independently.</summary>
internal interface IPreTokenizer
{
    void PreTokenize(PreTokenizedText text);
}
