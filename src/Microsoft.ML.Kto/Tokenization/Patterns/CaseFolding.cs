using System.Globalization;
using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// Oniguruma's case-insensitive equivalence (Unicode CaseFolding.txt, statuses C and F, no Turkic mappings) for the
/// translator. Single code points are equivalent when they fold alike. .NET exposes no case folding, so it is
/// computed as lowercase-of-uppercase, which gives Oniguruma's classes for all of Unicode 16.0 (a test compares them
/// with its tables) once three things are patched: the characters with multi-character folds (listed here from
/// CaseFolding.txt) key on those, U+0131 (dotless i, which has no folding) stays alone, and the case pairs new in
/// Unicode 16.0, which .NET 10's case mappings lack, are added. Matching a multi-character fold (<c>(?i)ss</c> also
/// matches "ß") has no translation; the translator refuses the patterns where Oniguruma would do it.
/// </summary>
internal static class CaseFolding
{
    // Code point: its full case folding, for every code point whose folding is more than one character.
    private const string MultiCharFoldTable =
        "00DF:0073 0073;0130:0069 0307;0149:02BC 006E;01F0:006A 030C;0390:03B9 0308 0301;03B0:03C5 0308 0301;" +
        "0587:0565 0582;1E96:0068 0331;1E97:0074 0308;1E98:0077 030A;1E99:0079 030A;1E9A:0061 02BE;" +
        "1E9E:0073 0073;1F50:03C5 0313;1F52:03C5 0313 0300;1F54:03C5 0313 0301;1F56:03C5 0313 0342;" +
        "1F80:1F00 03B9;1F81:1F01 03B9;1F82:1F02 03B9;1F83:1F03 03B9;1F84:1F04 03B9;1F85:1F05 03B9;" +
        "1F86:1F06 03B9;1F87:1F07 03B9;1F88:1F00 03B9;1F89:1F01 03B9;1F8A:1F02 03B9;1F8B:1F03 03B9;" +
        "1F8C:1F04 03B9;1F8D:1F05 03B9;1F8E:1F06 03B9;1F8F:1F07 03B9;1F90:1F20 03B9;1F91:1F21 03B9;" +
        "1F92:1F22 03B9;1F93:1F23 03B9;1F94:1F24 03B9;1F95:1F25 03B9;1F96:1F26 03B9;1F97:1F27 03B9;" +
        "1F98:1F20 03B9;1F99:1F21 03B9;1F9A:1F22 03B9;1F9B:1F23 03B9;1F9C:1F24 03B9;1F9D:1F25 03B9;" +
        "1F9E:1F26 03B9;1F9F:1F27 03B9;1FA0:1F60 03B9;1FA1:1F61 03B9;1FA2:1F62 03B9;1FA3:1F63 03B9;" +
        "1FA4:1F64 03B9;1FA5:1F65 03B9;1FA6:1F66 03B9;1FA7:1F67 03B9;1FA8:1F60 03B9;1FA9:1F61 03B9;" +
        "1FAA:1F62 03B9;1FAB:1F63 03B9;1FAC:1F64 03B9;1FAD:1F65 03B9;1FAE:1F66 03B9;1FAF:1F67 03B9;" +
        "1FB2:1F70 03B9;1FB3:03B1 03B9;1FB4:03AC 03B9;1FB6:03B1 0342;1FB7:03B1 0342 03B9;1FBC:03B1 03B9;" +
        "1FC2:1F74 03B9;1FC3:03B7 03B9;1FC4:03AE 03B9;1FC6:03B7 0342;1FC7:03B7 0342 03B9;1FCC:03B7 03B9;" +
        "1FD2:03B9 0308 0300;1FD3:03B9 0308 0301;1FD6:03B9 0342;1FD7:03B9 0308 0342;1FE2:03C5 0308 0300;" +
        "1FE3:03C5 0308 0301;1FE4:03C1 0313;1FE6:03C5 0342;1FE7:03C5 0308 0342;1FF2:1F7C 03B9;1FF3:03C9 03B9;" +
        "1FF4:03CE 03B9;1FF6:03C9 0342;1FF7:03C9 0342 03B9;1FFC:03C9 03B9;FB00:0066 0066;FB01:0066 0069;" +
        "FB02:0066 006C;FB03:0066 0066 0069;FB04:0066 0066 006C;FB05:0073 0074;FB06:0073 0074;FB13:0574 0576;" +
        "FB14:0574 0565;FB15:0574 056B;FB16:057E 0576;FB17:0574 056D";

    // Unicode 16.0 case pairs (small: capital) missing from .NET 10's case mappings; plus Garay U+10D50..10D65.
    private const string Unicode16CasePairTable = "019B:A7DC;0264:A7CB;1C8A:1C89;A7CD:A7CC;A7DB:A7DA";

    private static readonly Lazy<Dictionary<int, int>> Unicode16Folds = new(ParseUnicode16Folds);

    private static readonly Lazy<Dictionary<int, int[]>> MultiCharFolds = new(ParseMultiCharFolds);

    private static readonly Lazy<CodePointSet> Sources = new(() => CodePointSet.FromRanges(MultiCharFolds.Value.Keys.Select(c => (c, c))));

    // Every code point that has case variants: the smallest member of its class, and the class.
    private static readonly Lazy<(Dictionary<int, int> Representative, List<int[]> Classes)> Equivalence = new(BuildEquivalence);

    /// <summary>The code points whose folding is several characters; case-insensitively they also match those.</summary>
    public static CodePointSet MultiCharFoldSources => Sources.Value;

    /// <summary>The classes of case-equivalent code points (those with two or more members), each sorted.</summary>
    public static IReadOnlyList<int[]> Classes => Equivalence.Value.Classes;

    /// <summary><paramref name="set"/> plus every code point case-equivalent to a member.</summary>
    public static CodePointSet Close(CodePointSet set)
    {
        var added = Classes.Where(members => members.Any(set.Contains)).SelectMany(members => members);
        return set.Union(CodePointSet.FromRanges(added.Select(c => (c, c))));
    }

    /// <summary>
    /// Whether case-insensitive <paramref name="literal"/> contains a string that a single character folds to
    /// (for example "st", the folding of "ﬆ"), which Oniguruma would let that character match.
    /// </summary>
    public static bool ContainsMultiCharFoldTarget(IReadOnlyList<int> literal)
    {
        foreach (var target in MultiCharFolds.Value.Values)
        {
            for (var start = 0; start + target.Length <= literal.Count; start++)
            {
                var index = start;
                if (target.All(c => Representative(c) == Representative(literal[index++])))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static int Representative(int codePoint) => Equivalence.Value.Representative.GetValueOrDefault(codePoint, codePoint);

    private static Dictionary<int, int[]> ParseMultiCharFolds() =>
        MultiCharFoldTable.Split(';').Select(entry => entry.Split(':')).ToDictionary(
            entry => int.Parse(entry[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            entry => entry[1].Split(' ').Select(c => int.Parse(c, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray());

    private static Dictionary<int, int> ParseUnicode16Folds()
    {
        var folds = new Dictionary<int, int>();
        var pairs = Unicode16CasePairTable.Split(';')
            .Select(pair => pair.Split(':').Select(c => int.Parse(c, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray())
            .Select(pair => (Small: pair[0], Capital: pair[1]))
            .Concat(Enumerable.Range(0, 0x16).Select(i => (Small: 0x10D70 + i, Capital: 0x10D50 + i)));
        foreach (var (small, capital) in pairs)
        {
            folds[small] = small;
            folds[capital] = small;
        }

        return folds;
    }

    private static (Dictionary<int, int>, List<int[]>) BuildEquivalence()
    {
        var byFolding = new Dictionary<string, List<int>>();
        for (var codePoint = 0; codePoint <= CodePointSet.MaxCodePoint; codePoint++)
        {
            if (Folding(codePoint) is { } folding)
            {
                if (!byFolding.TryGetValue(folding, out var members))
                {
                    byFolding[folding] = members = [];
                }

                members.Add(codePoint);
            }
        }

        var representative = new Dictionary<int, int>();
        var classes = new List<int[]>();
        foreach (var members in byFolding.Values)
        {
            // A one-character folding target folds to itself, so it is listed with the characters that fold to it.
            var sorted = members.Order().ToArray();
            if (sorted.Length > 1)
            {
                classes.Add(sorted);
                foreach (var member in sorted)
                {
                    representative[member] = sorted[0];
                }
            }
        }

        return (representative, classes);
    }

    /// <summary>The case folding of a code point as a string key, or null when it folds to itself and nothing else can.</summary>
    private static string? Folding(int codePoint)
    {
        if (MultiCharFolds.Value.TryGetValue(codePoint, out var multi))
        {
            return string.Join(' ', multi);
        }

        if (Unicode16Folds.Value.TryGetValue(codePoint, out var small))
        {
            return small.ToString(CultureInfo.InvariantCulture);
        }

        if (codePoint == 0x131 || !Rune.IsValid(codePoint))
        {
            return null;
        }

        var rune = new Rune(codePoint);
        var upper = Rune.ToUpperInvariant(rune);
        var folded = Rune.ToLowerInvariant(upper);
        return upper == rune && folded == rune ? null : folded.Value.ToString(CultureInfo.InvariantCulture);
    }
}
