using System.Globalization;
using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// Oniguruma's Unicode character types and properties as code point sets, for those that general categories define:
/// .NET 10 and the Oniguruma bundled by the Rust <c>tokenizers</c> crate (6.9.9 via onig_sys 69.9) both carry
/// Unicode 16.0 data, so these sets are the ones Oniguruma matches. Properties that need other Unicode data
/// (scripts, blocks, Alphabetic, Lowercase, Emoji, ...) are not offered and make a pattern unsupported.
/// </summary>
internal static class UnicodeProperties
{
    private static readonly Lazy<Dictionary<string, CodePointSet>> ByName = new(BuildNames);

    /// <summary><c>\s</c>, <c>\p{Space}</c>: Unicode White_Space.</summary>
    public static CodePointSet Space => ByName.Value["space"];

    /// <summary><c>\d</c>, <c>\p{Digit}</c>: Decimal_Number.</summary>
    public static CodePointSet Digit => ByName.Value["digit"];

    /// <summary><c>\h</c>: ASCII hex digits.</summary>
    public static CodePointSet HexDigit => ByName.Value["xdigit"];

    /// <summary><c>\w</c>, <c>\b</c>'s word characters: Alphabetic, Mark, Decimal_Number, Connector_Punctuation.</summary>
    public static CodePointSet Word => ByName.Value["word"];

    /// <summary>The set of <c>\p{name}</c>; Oniguruma ignores case, spaces, hyphens and underscores in the name.</summary>
    public static bool TryGetProperty(string name, out CodePointSet set) => ByName.Value.TryGetValue(Normalize(name), out set!);

    /// <summary>
    /// The set of the POSIX bracket <c>[:name:]</c>. In Unicode mode Oniguruma gives these the Unicode definitions,
    /// which differ from <c>\p{name}</c> for punct (Punctuation and Symbol).
    /// </summary>
    public static bool TryGetPosixBracket(string name, out CodePointSet set)
    {
        if (name == "punct")
        {
            set = ByName.Value["p"].Union(ByName.Value["s"]);
            return true;
        }

        set = null!;
        return name is "blank" or "cntrl" or "digit" or "graph" or "print" or "space" or "xdigit" or "ascii" or "word"
            && ByName.Value.TryGetValue(name, out set!);
    }

    private static string Normalize(string name) =>
        new(name.Where(c => c is not (' ' or '-' or '_')).Select(char.ToLowerInvariant).ToArray());

    private static Dictionary<string, CodePointSet> BuildNames()
    {
        // One scan of the code space for all thirty general categories (surrogates included: they are Cs).
        var members = new List<(int, int)>[30];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = [];
        }

        for (var codePoint = 0; codePoint <= CodePointSet.MaxCodePoint; codePoint++)
        {
            var ranges = members[(int)CharUnicodeInfo.GetUnicodeCategory(codePoint)];
            if (ranges.Count > 0 && ranges[^1].Item2 == codePoint - 1)
            {
                ranges[^1] = (ranges[^1].Item1, codePoint);
            }
            else
            {
                ranges.Add((codePoint, codePoint));
            }
        }

        var names = new Dictionary<string, CodePointSet>();
        CodePointSet Of(params UnicodeCategory[] categories) => CodePointSet.FromRanges(categories.SelectMany(c => members[(int)c]));
        void Add(CodePointSet set, params string[] aliases)
        {
            foreach (var alias in aliases)
            {
                names.Add(alias, set);
            }
        }

        // Short and long general category names (Oniguruma's aliases, normalized).
        Add(Of(UnicodeCategory.UppercaseLetter), "lu", "uppercaseletter");
        Add(Of(UnicodeCategory.LowercaseLetter), "ll", "lowercaseletter");
        Add(Of(UnicodeCategory.TitlecaseLetter), "lt", "titlecaseletter");
        Add(Of(UnicodeCategory.ModifierLetter), "lm", "modifierletter");
        Add(Of(UnicodeCategory.OtherLetter), "lo", "otherletter");
        Add(Of(UnicodeCategory.UppercaseLetter, UnicodeCategory.LowercaseLetter, UnicodeCategory.TitlecaseLetter), "lc", "casedletter");
        Add(
            Of(UnicodeCategory.UppercaseLetter, UnicodeCategory.LowercaseLetter, UnicodeCategory.TitlecaseLetter, UnicodeCategory.ModifierLetter, UnicodeCategory.OtherLetter),
            "l", "letter");
        Add(Of(UnicodeCategory.NonSpacingMark), "mn", "nonspacingmark");
        Add(Of(UnicodeCategory.SpacingCombiningMark), "mc", "spacingmark");
        Add(Of(UnicodeCategory.EnclosingMark), "me", "enclosingmark");
        Add(Of(UnicodeCategory.NonSpacingMark, UnicodeCategory.SpacingCombiningMark, UnicodeCategory.EnclosingMark), "m", "mark", "combiningmark");
        Add(Of(UnicodeCategory.DecimalDigitNumber), "nd", "decimalnumber", "digit");
        Add(Of(UnicodeCategory.LetterNumber), "nl", "letternumber");
        Add(Of(UnicodeCategory.OtherNumber), "no", "othernumber");
        Add(Of(UnicodeCategory.DecimalDigitNumber, UnicodeCategory.LetterNumber, UnicodeCategory.OtherNumber), "n", "number");
        Add(Of(UnicodeCategory.ConnectorPunctuation), "pc", "connectorpunctuation");
        Add(Of(UnicodeCategory.DashPunctuation), "pd", "dashpunctuation");
        Add(Of(UnicodeCategory.OpenPunctuation), "ps", "openpunctuation");
        Add(Of(UnicodeCategory.ClosePunctuation), "pe", "closepunctuation");
        Add(Of(UnicodeCategory.InitialQuotePunctuation), "pi", "initialpunctuation");
        Add(Of(UnicodeCategory.FinalQuotePunctuation), "pf", "finalpunctuation");
        Add(Of(UnicodeCategory.OtherPunctuation), "po", "otherpunctuation");
        Add(
            Of(UnicodeCategory.ConnectorPunctuation, UnicodeCategory.DashPunctuation, UnicodeCategory.OpenPunctuation, UnicodeCategory.ClosePunctuation,
                UnicodeCategory.InitialQuotePunctuation, UnicodeCategory.FinalQuotePunctuation, UnicodeCategory.OtherPunctuation),
            "p", "punctuation", "punct");
        Add(Of(UnicodeCategory.MathSymbol), "sm", "mathsymbol");
        Add(Of(UnicodeCategory.CurrencySymbol), "sc", "currencysymbol");
        Add(Of(UnicodeCategory.ModifierSymbol), "sk", "modifiersymbol");
        Add(Of(UnicodeCategory.OtherSymbol), "so", "othersymbol");
        Add(Of(UnicodeCategory.MathSymbol, UnicodeCategory.CurrencySymbol, UnicodeCategory.ModifierSymbol, UnicodeCategory.OtherSymbol), "s", "symbol");
        Add(Of(UnicodeCategory.SpaceSeparator), "zs", "spaceseparator");
        Add(Of(UnicodeCategory.LineSeparator), "zl", "lineseparator");
        Add(Of(UnicodeCategory.ParagraphSeparator), "zp", "paragraphseparator");
        Add(Of(UnicodeCategory.SpaceSeparator, UnicodeCategory.LineSeparator, UnicodeCategory.ParagraphSeparator), "z", "separator");
        Add(Of(UnicodeCategory.Control), "cc", "control", "cntrl");
        Add(Of(UnicodeCategory.Format), "cf", "format");
        Add(Of(UnicodeCategory.OtherNotAssigned), "cn", "unassigned");
        Add(Of(UnicodeCategory.PrivateUse), "co", "privateuse");
        Add(Of(UnicodeCategory.Surrogate), "cs", "surrogate");
        Add(
            Of(UnicodeCategory.Control, UnicodeCategory.Format, UnicodeCategory.OtherNotAssigned, UnicodeCategory.PrivateUse, UnicodeCategory.Surrogate),
            "c", "other");

        var space = CodePointSet.Where(c => Rune.IsValid(c) && CharPredicates.IsWhitespace(new Rune(c)));
        Add(space, "space", "whitespace", "wspace");
        Add(CodePointSet.All, "any");
        Add(names["cn"].Complement(), "assigned");
        Add(CodePointSet.Range(0, 0x7F), "ascii");
        Add(CodePointSet.FromRanges([('0', '9'), ('A', 'F'), ('a', 'f')]), "xdigit", "asciihexdigit", "ahex");
        Add(CodePointSet.Of('\n'), "newline");
        Add(names["zs"].Union(CodePointSet.Of('\t')), "blank");

        // Graph: everything but White_Space, Cc, Cs and Cn; Print adds the space separators back.
        var graph = space.Union(names["cc"]).Union(names["cs"]).Union(names["cn"]).Complement();
        Add(graph, "graph");
        Add(graph.Union(names["zs"]), "print");

        // Word = Alphabetic + Mark + Decimal_Number + Connector_Punctuation. Alphabetic is the letters, the letter
        // numbers and Other_Alphabetic; the members of Other_Alphabetic that are not marks are these circled,
        // parenthesized and squared Latin letters (general category So).
        Add(
            names["l"].Union(names["nl"]).Union(names["m"]).Union(names["nd"]).Union(names["pc"]).Union(CodePointSet.FromRanges(
                [(0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189)])),
            "word");
        return names;
    }
}
