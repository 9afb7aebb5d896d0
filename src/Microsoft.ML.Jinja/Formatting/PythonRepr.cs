using System.Globalization;
using System.Text;

namespace Microsoft.ML.Jinja.Formatting;

/// <summary>Python's <c>repr()</c>, which jinja2 shows when a list or dict is rendered directly.</summary>
internal static class PythonRepr
{
    /// <summary>
    /// <c>repr(str)</c>: single quotes unless the text has a single quote and no double quote;
    /// non-printable characters become <c>\x..</c>/<c>\u....</c> escapes, other non-ASCII text is kept.
    /// </summary>
    public static string QuoteString(string text)
    {
        var quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        var builder = new StringBuilder(text.Length + 2);
        builder.Append(quote);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\').Append(c);
                    }
                    else if (char.IsSurrogatePair(text, i))
                    {
                        AppendCodePoint(builder, char.ConvertToUtf32(text[i], text[i + 1]));
                        i++;
                    }
                    else
                    {
                        AppendCodePoint(builder, c);
                    }

                    break;
            }
        }

        return builder.Append(quote).ToString();
    }

    private static void AppendCodePoint(StringBuilder builder, int codePoint)
    {
        if (IsPrintable(codePoint))
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }
        else if (codePoint < 0x100)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\x{codePoint:x2}");
        }
        else if (codePoint < 0x10000)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\u{codePoint:x4}");
        }
        else
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\U{codePoint:x8}");
        }
    }

    /// <summary>Python's <c>str.isprintable</c> per character: everything but controls, format, separators other than space, surrogates, private use and unassigned.</summary>
    private static bool IsPrintable(int codePoint)
    {
        if (codePoint == ' ')
        {
            return true;
        }

        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }
}
