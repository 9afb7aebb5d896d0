using System.Text;

namespace Microsoft.ML.Jinja.Builtins;

/// <summary>Python <c>str</c> algorithms whose rules differ from .NET's (whitespace set, split, title-casing).</summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace</c> per character; unlike .NET it includes the separators U+001C..U+001F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static string Strip(string text, string? chars, bool left, bool right)
    {
        var start = 0;
        var end = text.Length;
        while (left && start < end && IsStripped(text[start], chars))
        {
            start++;
        }

        while (right && end > start && IsStripped(text[end - 1], chars))
        {
            end--;
        }

        return text[start..end];
    }

    private static bool IsStripped(char c, string? chars) => chars is null ? IsSpace(c) : chars.Contains(c);

    /// <summary><c>str.split(sep, maxsplit)</c>; a null separator splits on whitespace runs and drops empty parts.</summary>
    public static List<string> Split(string text, string? separator, int maxSplit)
    {
        if (separator is not null)
        {
            return separator.Length == 0
                ? throw new TemplateException("empty separator")
                : [.. text.Split(separator, maxSplit < 0 ? int.MaxValue : maxSplit + 1)];
        }

        var parts = new List<string>();
        var position = 0;
        while (true)
        {
            while (position < text.Length && IsSpace(text[position]))
            {
                position++;
            }

            if (position == text.Length)
            {
                return parts;
            }

            if (maxSplit >= 0 && parts.Count == maxSplit)
            {
                parts.Add(text[position..]);
                return parts;
            }

            var start = position;
            while (position < text.Length && !IsSpace(text[position]))
            {
                position++;
            }

            parts.Add(text[start..position]);
        }
    }

    /// <summary><c>str.rsplit(sep, maxsplit)</c>: like split but counting splits from the right.</summary>
    public static List<string> RightSplit(string text, string? separator, int maxSplit)
    {
        if (maxSplit < 0)
        {
            return Split(text, separator, maxSplit);
        }

        var reversed = Split(Reverse(text), separator is null ? null : Reverse(separator), maxSplit);
        reversed.Reverse();
        return reversed.ConvertAll(Reverse);
    }

    public static string Reverse(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))
            {
                builder.Append(text[i - 1]).Append(text[i]);
                i--;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary><c>str.title()</c>: upper-case a cased letter that follows an uncased character, lower-case the rest.</summary>
    public static string Title(string text)
    {
        var builder = new StringBuilder(text.Length);
        var previousCased = false;
        foreach (var c in text)
        {
            builder.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousCased = char.IsUpper(c) || char.IsLower(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.TitlecaseLetter;
        }

        return builder.ToString();
    }

    /// <summary><c>str.capitalize()</c>: first character upper-cased, the rest lower-cased.</summary>
    public static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();

    /// <summary><c>str.splitlines()</c>, which breaks on every Unicode line boundary Python recognises.</summary>
    public static List<string> SplitLines(string text, bool keepEnds)
    {
        var lines = new List<string>();
        var start = 0;
        var position = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (!IsLineBreak(c))
            {
                position++;
                continue;
            }

            var breakLength = c == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
            lines.Add(text[start..(keepEnds ? position + breakLength : position)]);
            position += breakLength;
            start = position;
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    private static bool IsLineBreak(char c) =>
        c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';
}
