using System.Text.RegularExpressions;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// A tokenizer.json regex run with the .NET engine. Used only for patterns that have no hand-written matcher;
/// unlike Oniguruma, .NET classifies UTF-16 units, so <c>\p{L}</c> does not match astral letters here.
/// </summary>
internal sealed class RegexPattern : ITextPattern
{
    private readonly Regex regex;

    public RegexPattern(Regex regex) => this.regex = regex;

    public void FindMatches(ReadOnlySpan<char> text, List<Segment> matches)
    {
        foreach (var match in regex.EnumerateMatches(text))
        {
            matches.Add(new Segment(match.Index, match.Index + match.Length));
        }
    }
}
