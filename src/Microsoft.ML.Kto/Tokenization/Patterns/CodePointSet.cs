using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// An immutable set of Unicode code points (U+0000..U+10FFFF, surrogate code points included) as sorted, disjoint,
/// non-adjacent inclusive ranges. The Oniguruma translator computes every character class as one of these and
/// emits it as a UTF-16 .NET pattern that consumes whole code points (<see cref="ToRegex"/>).
/// </summary>
internal sealed class CodePointSet
{
    public const int MaxCodePoint = 0x10FFFF;

    public static readonly CodePointSet Empty = new([]);

    public static readonly CodePointSet All = new([0, MaxCodePoint]);

    private const int HighSurrogateFirst = 0xD800;
    private const int LowSurrogateFirst = 0xDC00;
    private const int LowSurrogateLast = 0xDFFF;

    // start0, end0, start1, end1, ...
    private readonly int[] _bounds;

    private CodePointSet(int[] bounds) => _bounds = bounds;

    public bool IsEmpty => _bounds.Length == 0;

    public IEnumerable<(int First, int Last)> Ranges
    {
        get
        {
            for (var i = 0; i < _bounds.Length; i += 2)
            {
                yield return (_bounds[i], _bounds[i + 1]);
            }
        }
    }

    public static CodePointSet Of(int codePoint) => Range(codePoint, codePoint);

    public static CodePointSet Range(int first, int last) => first > last ? Empty : new([first, last]);

    /// <summary>The set of the given ranges, which may overlap and come in any order.</summary>
    public static CodePointSet FromRanges(IEnumerable<(int First, int Last)> ranges)
    {
        var merged = new List<int>();
        foreach (var (first, last) in ranges.Where(r => r.First <= r.Last).OrderBy(r => r.First))
        {
            if (merged.Count > 0 && first <= merged[^1] + 1)
            {
                merged[^1] = Math.Max(merged[^1], last);
            }
            else
            {
                merged.Add(first);
                merged.Add(last);
            }
        }

        return new CodePointSet([.. merged]);
    }

    /// <summary>Every code point satisfying <paramref name="predicate"/> (scans the whole code space).</summary>
    public static CodePointSet Where(Func<int, bool> predicate)
    {
        var ranges = new List<(int, int)>();
        var start = -1;
        for (var codePoint = 0; codePoint <= MaxCodePoint + 1; codePoint++)
        {
            var member = codePoint <= MaxCodePoint && predicate(codePoint);
            if (member && start < 0)
            {
                start = codePoint;
            }
            else if (!member && start >= 0)
            {
                ranges.Add((start, codePoint - 1));
                start = -1;
            }
        }

        return FromRanges(ranges);
    }

    public bool Contains(int codePoint)
    {
        // Index of the first bound greater than codePoint: odd means inside a range.
        var low = 0;
        var high = _bounds.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_bounds[middle] + (middle % 2) <= codePoint)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low % 2 == 1;
    }

    public CodePointSet Union(CodePointSet other) => FromRanges(Ranges.Concat(other.Ranges));

    public CodePointSet Complement()
    {
        var ranges = new List<(int, int)>();
        var next = 0;
        foreach (var (first, last) in Ranges)
        {
            ranges.Add((next, first - 1));
            next = last + 1;
        }

        ranges.Add((next, MaxCodePoint));
        return FromRanges(ranges);
    }

    public CodePointSet Intersect(CodePointSet other) => Complement().Union(other.Complement()).Complement();

    /// <summary>
    /// A .NET pattern matching exactly one code point of this set, never half a surrogate pair: BMP members as a
    /// character class, astral members as surrogate pairs grouped by high surrogate, and surrogate code points (which
    /// only occur in .NET strings as lone surrogates, never in the UTF-8 Oniguruma sees) as lone surrogates.
    /// The result is one unit that a quantifier can follow: a bracketed class, one character or a group; with
    /// <paramref name="bmpOnly"/>, only the BMP class, for text known to hold no surrogates.
    /// </summary>
    public string ToRegex(bool bmpOnly = false)
    {
        var bmp = BmpClass();
        var outside = bmpOnly ? null : OutsideBmp();
        return (bmp, outside) switch
        {
            (null, null) => @"[^\u0000-\uFFFF]",
            (not null, null) => bmp,
            (null, not null) => "(?:" + outside + ")",
            _ => "(?>" + bmp + "|" + outside + ")",
        };
    }

    private string? BmpClass()
    {
        var bmp = Intersect(Range(0, HighSurrogateFirst - 1).Union(Range(LowSurrogateLast + 1, 0xFFFF)));
        return bmp.IsEmpty ? null : bmp.ToUtf16Class();
    }

    /// <summary>
    /// One unit matching the members outside the BMP class (surrogate pairs and lone surrogates), or null. Several
    /// alternatives sit behind a look-ahead for a surrogate, so that a BMP character is turned away by one test
    /// instead of one per high-surrogate group.
    /// </summary>
    private string? OutsideBmp()
    {
        var alternatives = AstralGroups().Select(g => g.Highs.ToUtf16Class() + g.Lows.ToUtf16Class()).ToList();
        var loneHighs = Intersect(Range(HighSurrogateFirst, LowSurrogateFirst - 1));
        if (!loneHighs.IsEmpty)
        {
            alternatives.Add(loneHighs.ToUtf16Class() + @"(?![\uDC00-\uDFFF])");
        }

        var loneLows = Intersect(Range(LowSurrogateFirst, LowSurrogateLast));
        if (!loneLows.IsEmpty)
        {
            alternatives.Add(@"(?<![\uD800-\uDBFF])" + loneLows.ToUtf16Class());
        }

        return alternatives.Count switch
        {
            0 => null,
            1 => alternatives[0],
            _ => @"(?=[\uD800-\uDFFF])(?>" + string.Join('|', alternatives) + ")",
        };
    }

    /// <summary>The astral members as (high surrogates, low surrogates) pairs; runs of highs sharing their lows are merged.</summary>
    private List<(CodePointSet Highs, CodePointSet Lows)> AstralGroups()
    {
        var perHigh = new List<(int High, List<(int, int)> Lows)>();
        foreach (var (first, last) in Intersect(Range(0x10000, MaxCodePoint)).Ranges)
        {
            for (var start = first; start <= last;)
            {
                var high = HighSurrogateFirst + ((start - 0x10000) >> 10);
                var end = Math.Min(last, 0x10000 + ((high - HighSurrogateFirst + 1) << 10) - 1);
                if (perHigh.Count == 0 || perHigh[^1].High != high)
                {
                    perHigh.Add((high, []));
                }

                perHigh[^1].Lows.Add((LowSurrogateFirst + ((start - 0x10000) & 0x3FF), LowSurrogateFirst + ((end - 0x10000) & 0x3FF)));
                start = end + 1;
            }
        }

        var groups = new List<(int FirstHigh, int LastHigh, CodePointSet Lows)>();
        foreach (var (high, lows) in perHigh)
        {
            var lowSet = FromRanges(lows);
            if (groups.Count > 0 && groups[^1].LastHigh == high - 1 && groups[^1].Lows._bounds.AsSpan().SequenceEqual(lowSet._bounds))
            {
                groups[^1] = groups[^1] with { LastHigh = high };
            }
            else
            {
                groups.Add((high, high, lowSet));
            }
        }

        return groups.Select(g => (Range(g.FirstHigh, g.LastHigh), g.Lows)).ToList();
    }

    /// <summary>This set, all of whose members are UTF-16 code units, as one escaped character or a bracketed class.</summary>
    private string ToUtf16Class()
    {
        if (_bounds.Length == 2 && _bounds[0] == _bounds[1])
        {
            return Escape(_bounds[0]);
        }

        var builder = new StringBuilder("[");
        foreach (var (first, last) in Ranges)
        {
            builder.Append(Escape(first));
            if (last > first)
            {
                builder.Append(last > first + 1 ? "-" : string.Empty).Append(Escape(last));
            }
        }

        return builder.Append(']').ToString();
    }

    /// <summary>A UTF-16 code unit as a .NET pattern character, valid inside and outside a class.</summary>
    public static string Escape(int codeUnit) =>
        codeUnit < 0x80 && char.IsAsciiLetterOrDigit((char)codeUnit) ? ((char)codeUnit).ToString() : $"\\u{codeUnit:X4}";
}
