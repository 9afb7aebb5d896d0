namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing occurrences of a character from each token.</summary>
internal sealed class StripDecoder : IDecoder
{
    private readonly string _content;
    private readonly int _start;
    private readonly int _stop;

    public StripDecoder(string content, int start, int stop)
    {
        _content = content;
        _start = start;
        _stop = stop;
    }

    public List<string> DecodeChain(List<string> tokens) => tokens.Select(Strip).ToList();

    private string Strip(string token)
    {
        var begin = 0;
        for (var i = 0; i < _start && token.AsSpan(begin).StartsWith(_content, StringComparison.Ordinal); i++)
        {
            begin += _content.Length;
        }

        var end = token.Length;
        for (var i = 0; i < _stop && end - _content.Length >= begin && token.AsSpan(begin, end - begin).EndsWith(_content, StringComparison.Ordinal); i++)
        {
            end -= _content.Length;
        }

        return token[begin..end];
    }
}
