using System.Text.RegularExpressions;
using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// A tokenizer.json regex, matched as the Rust <c>tokenizers</c> crate matches it with Oniguruma: the pattern is
/// translated by <see cref="OnigurumaTranslator"/> into a .NET pattern over whole code points, and matches are
/// enumerated the way <c>onig::FindMatches</c> does. Used for patterns that have no hand-written matcher.
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
    private readonly Regex _bmpOnlyRegex;
    private readonly string _source;
    private readonly string _fileName;
    private readonly string _jsonPath;

    private RegexPattern(Regex regex, Regex bmpOnlyRegex, string source, string fileName, string jsonPath)
    {
        _regex = regex;
        _bmpOnlyRegex = bmpOnlyRegex;
        _source = source;
        _fileName = fileName;
        _jsonPath = jsonPath;
    }

    /// <summary>Compiles the Oniguruma pattern at <paramref name="source"/>, rejecting what cannot be matched exactly.</summary>
    public static RegexPattern Compile(JsonSection source)
    {
        var pattern = source.GetString();
        (string Pattern, string BmpOnlyPattern) translated;
        try
        {
            translated = OnigurumaTranslator.Translate(pattern);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            throw new TokenizerFormatException(source.FileName, source.Path, $"regex not supported: /{pattern}/: {e.Message}", e);
        }

        return new RegexPattern(Build(translated.Pattern), Build(translated.BmpOnlyPattern), pattern, source.FileName, source.Path);
    }

    public void FindMatches(ReadOnlySpan<char> text, List<Segment> matches)
    {
        // onig::FindMatches: each search starts where the previous match ended; an empty match right there is
        // skipped by moving one character (code point) on. Text without surrogates (most text) takes the BMP-only
        // translation, which .NET runs several times faster.
        var engine = text.ContainsAnyInRange('\uD800', '\uDFFF') ? _regex : _bmpOnlyRegex;
        var searchStart = 0;
        var previousEnd = -1;
        try
        {
            while (searchStart <= text.Length)
            {
                if (!TryMatch(engine, text, searchStart, out var start, out var end))
                {
                    return;
                }

                if (start == end && start == previousEnd)
                {
                    searchStart = start + (start + 1 < text.Length && char.IsSurrogatePair(text[start], text[start + 1]) ? 2 : 1);
                    continue;
                }

                matches.Add(new Segment(start, end));
                searchStart = previousEnd = end;
            }
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new TokenizerFormatException(
                _fileName, _jsonPath,
                $"regex /{_source}/ took longer than {MatchTimeout.TotalSeconds:0.#} s searching from input position {searchStart} " +
                $"of {text.Length} characters; the pattern backtracks catastrophically. Fix or replace the pattern in the tokenizer file.",
                e);
        }
    }

    private static Regex Build(string pattern) => new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>
    /// The first match at or after <paramref name="from"/>. The .NET engine also tries to start between the two halves
    /// of a surrogate pair, where Oniguruma (which sees UTF-8) cannot; such a match is passed over.
    /// </summary>
    private static bool TryMatch(Regex engine, ReadOnlySpan<char> text, int from, out int start, out int end)
    {
        while (true)
        {
            var enumerator = engine.EnumerateMatches(text, from);
            if (!enumerator.MoveNext())
            {
                start = end = 0;
                return false;
            }

            var match = enumerator.Current;
            if (match.Index > 0 && match.Index < text.Length && char.IsSurrogatePair(text[match.Index - 1], text[match.Index]))
            {
                from = match.Index + 1;
                continue;
            }

            start = match.Index;
            end = match.Index + match.Length;
            return true;
        }
    }
}
