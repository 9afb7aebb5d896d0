namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>Splits text around the matches of a pattern, mirroring HF <c>NormalizedString::split</c>.</summary>
internal static class PatternSplitter
{
    /// <summary>
    /// Appends the non-empty pieces of <paramref name="text"/> to <paramref name="pieces"/>. With
    /// <paramref name="invert"/> the matches are treated as the content and the gaps as the delimiters.
    /// </summary>
    public static void Split(
        ReadOnlySpan<char> text, ITextPattern pattern, SplitDelimiterBehavior behavior, bool invert, List<Segment> pieces)
    {
        var matches = new List<Segment>();
        pattern.FindMatches(text, matches);
        if (behavior == SplitDelimiterBehavior.Isolated)
        {
            // Hot path (GPT-2 style pre-tokenizers): pieces are the matches and the gaps, in order.
            AddIsolated(text.Length, matches, pieces);
            return;
        }

        var parts = new List<(Segment Range, bool IsDelimiter)>(matches.Count * 2 + 1);
        var previousEnd = 0;
        foreach (var match in matches)
        {
            if (match.Start > previousEnd)
            {
                parts.Add((new Segment(previousEnd, match.Start), invert));
            }

            parts.Add((match, !invert));
            previousEnd = match.End;
        }

        if (previousEnd < text.Length)
        {
            parts.Add((new Segment(previousEnd, text.Length), invert));
        }

        foreach (var piece in Group(parts, behavior))
        {
            if (piece.Length > 0)
            {
                pieces.Add(piece);
            }
        }
    }

    private static void AddIsolated(int textLength, List<Segment> matches, List<Segment> pieces)
    {
        var previousEnd = 0;
        foreach (var match in matches)
        {
            if (match.Start > previousEnd)
            {
                pieces.Add(new Segment(previousEnd, match.Start));
            }

            if (match.Length > 0)
            {
                pieces.Add(match);
            }

            previousEnd = match.End;
        }

        if (previousEnd < textLength)
        {
            pieces.Add(new Segment(previousEnd, textLength));
        }
    }

    private static IEnumerable<Segment> Group(List<(Segment Range, bool IsDelimiter)> parts, SplitDelimiterBehavior behavior)
    {
        switch (behavior)
        {
            case SplitDelimiterBehavior.Removed:
                return parts.Where(p => !p.IsDelimiter).Select(p => p.Range);
            case SplitDelimiterBehavior.Contiguous:
                // Consecutive delimiters become one piece.
                return Merge(parts, (previousIsDelimiter, p) => p.IsDelimiter && previousIsDelimiter);
            case SplitDelimiterBehavior.MergedWithPrevious:
                // A delimiter joins the piece before it, unless that piece is itself a delimiter.
                return Merge(parts, (previousIsDelimiter, p) => p.IsDelimiter && !previousIsDelimiter);
            case SplitDelimiterBehavior.MergedWithNext:
                // Mirror image of MergedWithPrevious: walk backwards, then restore the order.
                var reversed = parts.AsEnumerable().Reverse()
                    .Select(p => (new Segment(-p.Range.End, -p.Range.Start), p.IsDelimiter)).ToList();
                return Merge(reversed, (previousIsDelimiter, p) => p.IsDelimiter && !previousIsDelimiter)
                    .Select(s => new Segment(-s.End, -s.Start)).Reverse();
            default:
                throw new ArgumentOutOfRangeException(nameof(behavior));
        }
    }

    /// <summary>Extends the previous piece over each part for which <paramref name="joinsPrevious"/> holds.</summary>
    private static List<Segment> Merge(
        List<(Segment Range, bool IsDelimiter)> parts, Func<bool, (Segment Range, bool IsDelimiter), bool> joinsPrevious)
    {
        var merged = new List<Segment>(parts.Count);
        var previousIsDelimiter = false;
        foreach (var part in parts)
        {
            if (merged.Count > 0 && joinsPrevious(previousIsDelimiter, part))
            {
                merged[^1] = merged[^1] with { End = part.Range.End };
            }
            else
            {
                merged.Add(part.Range);
            }

            previousIsDelimiter = part.IsDelimiter;
        }

        return merged;
    }
}
