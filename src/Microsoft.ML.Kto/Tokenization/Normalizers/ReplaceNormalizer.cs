using System.Text;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Replaces every match of a pattern with fixed content. Also the Replace decoder's per-token operation.</summary>
internal sealed class ReplaceNormalizer : INormalizer
{
    private readonly ITextPattern pattern;
    private readonly string content;

    public ReplaceNormalizer(ITextPattern pattern, string content)
    {
        this.pattern = pattern;
        this.content = content;
    }

    public string Normalize(string text)
    {
        var matches = new List<Segment>();
        pattern.FindMatches(text, matches);
        if (matches.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + (matches.Count * content.Length));
        var previousEnd = 0;
        foreach (var match in matches)
        {
            builder.Append(text, previousEnd, match.Start - previousEnd).Append(content);
            previousEnd = match.End;
        }

        return builder.Append(text, previousEnd, text.Length - previousEnd).ToString();
    }
}
