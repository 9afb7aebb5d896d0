namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing occurrences of a character from each token.</summary>
internal sealed class StripDecoder : IDecoder
{
    private readonly string content;
    private readonly int start;
    private readonly int stop;

    public StripDecoder(string content, int start, int stop)
    {
        this.content = content;
        this.start = start;
        this.stop = stop;
    }

    public List<string> DecodeChain(List<string> tokens) => tokens.Select(Strip).ToList();

    private string Strip(string token)
    {
        var begin = 0;
        for (var i = 0; i < start && token.AsSpan(begin).StartsWith(content, StringComparison.Ordinal); i++)
        {
            begin += content.Length;
        }

        var end = token.Length;
        for (var i = 0; i < stop && end - content.Length >= begin && token.AsSpan(begin, end - begin).EndsWith(content, StringComparison.Ordinal); i++)
        {
            end -= content.Length;
        }

        return token[begin..end];
    }
}
