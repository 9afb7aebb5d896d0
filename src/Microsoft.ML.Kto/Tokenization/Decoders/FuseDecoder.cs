namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>Concatenates all tokens into one, so that later steps see the whole text.</summary>
internal sealed class FuseDecoder : IDecoder
{
    public static readonly FuseDecoder Instance = new();

    public List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
}
