using Microsoft.ML.Kto.Tokenization.PreTokenizers;

namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>
/// Turns the Metaspace replacement character back into spaces. In the first token HF drops every replacement
/// character (not just a leading one) unless the prepend scheme is "never"; that is reproduced as is.
/// </summary>
internal sealed class MetaspaceDecoder : IDecoder
{
    private readonly string _replacement;
    private readonly PrependScheme _prependScheme;

    public MetaspaceDecoder(MetaspaceOptions options)
    {
        _replacement = options.Replacement;
        _prependScheme = options.PrependScheme;
    }

    public List<string> DecodeChain(List<string> tokens) => tokens
        .Select((token, i) => token.Replace(_replacement, i == 0 && _prependScheme != PrependScheme.Never ? "" : " ", StringComparison.Ordinal))
        .ToList();
}
