using System.Text.RegularExpressions;
using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// A tokenizer.json regex run with the .NET engine. Used only for patterns that have no hand-written matcher;
/// unlike Oniguruma, .NET classifies UTF-16 units, so <c>\p{L}</c> does not match astral letters here.
/// The pattern comes from an untrusted file, so every match runs under <see cref="MatchTimeout"/>: a pattern that
/// backtracks catastrophically fails with an error naming it instead of hanging the process.
/// </summary>
internal sealed class RegexPattern : ITextPattern
{
    /// <summary>
    /// Longest one match may search. Real pre-tokenizer patterns match a word in microseconds; a second is
    /// orders of magnitude beyond that and still short enough that a hostile pattern is reported promptly.
    /// </summary>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex _regex;
    private readonly string _fileName;
    private readonly string _jsonPath;

    private RegexPattern(Regex regex, string fileName, string jsonPath)
    {
        _regex = regex;
        _fileName = fileName;
        _jsonPath = jsonPath;
    }

    /// <summary>Compiles the pattern at <paramref name="source"/>, rejecting syntax .NET does not support.</summary>
    public static RegexPattern Compile(JsonSection source)
    {
        var pattern = source.GetString();
        try
        {
            return new RegexPattern(
                new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout),
                source.FileName, source.Path);
        }
        catch (ArgumentException e)
        {
            throw new TokenizerFormatException(source.FileName, source.Path, $"regex not supported by .NET: {e.Message}", e);
        }
    }

    public void FindMatches(ReadOnlySpan<char> text, List<Segment> matches)
    {
        // The search resumes after the previous match, so that is where the timed-out attempt started.
        var searchStart = 0;
        try
        {
            foreach (var match in _regex.EnumerateMatches(text))
            {
                matches.Add(new Segment(match.Index, match.Index + match.Length));
                searchStart = match.Index + match.Length;
            }
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new TokenizerFormatException(
                _fileName, _jsonPath,
                $"regex /{_regex}/ took longer than {MatchTimeout.TotalSeconds:0.#} s searching from input position {searchStart} " +
                $"of {text.Length} characters; the pattern backtracks catastrophically. Fix or replace the pattern in the tokenizer file.",
                e);
        }
    }
}
