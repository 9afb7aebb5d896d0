using Microsoft.ML.Kto.Tokenization.Normalizers;

namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>Replaces pattern matches inside each token (e.g. U+2581 back to a space).</summary>
internal sealed class ReplaceDecoder : IDecoder
{
    private readonly ReplaceNormalizer _replace;

    public ReplaceDecoder(ReplaceNormalizer replace) => _replace = replace;

    public List<string> DecodeChain(List<string> tokens) => tokens.Select(_replace.Normalize).ToList();
}
