using System.Text;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Replaces every match of a pattern with fixed content. Also the Replace decoder's per-token operation.</summary>
internal sealed class ReplaceNormalizer : INormalizer
{
    private readonly ITextPattern _pattern;
    private readonly string _content;

    public ReplaceNormalizer(ITextPattern pattern, string content)
    {
        _pattern = pattern;
        _content = content;
    }

    public string Normalize(string text)
    {
        var matches = new List<Segment>();
        _pattern.FindMatches(text, matches);
        if (matches.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + (matches.Count * _content.Length));
        var previousEnd = 0;
        foreach (var match in matches)
        {
            builder.Append(text, previousEnd, match.Start - previousEnd).Append(_content);
            previousEnd = match.End;
        }

        return builder.Append(text, previousEnd, text.Length - previousEnd).ToString();
    }
}
