using System.Globalization;
using System.Text;

namespace Microsoft.ML.Jinja.Syntax;

/// <summary>Decodes the body of a quoted literal with Python's <c>unicode_escape</c> rules, as jinja2's lexer does.</summary>
internal static class StringLiteral
{
    public static string Decode(string body, int line)
    {
        if (!body.Contains('\\'))
        {
            return body;
        }

        var builder = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i + 1 == body.Length)
            {
                builder.Append(body[i]);
                continue;
            }

            var escape = body[++i];
            switch (escape)
            {
                case '\n':
                    break;
                case '\\' or '\'' or '"':
                    builder.Append(escape);
                    break;
                case 'a':
                    builder.Append('\a');
                    break;
                case 'b':
                    builder.Append('\b');
                    break;
                case 'f':
                    builder.Append('\f');
                    break;
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'v':
                    builder.Append('\v');
                    break;
                case 'x':
                    i = AppendHex(builder, body, i, 2, line);
                    break;
                case 'u':
                    i = AppendHex(builder, body, i, 4, line);
                    break;
                case 'U':
                    i = AppendHex(builder, body, i, 8, line);
                    break;
                case >= '0' and <= '7':
                    var end = i;
                    while (end < body.Length && end - i < 3 && body[end] is >= '0' and <= '7')
                    {
                        end++;
                    }

                    builder.Append((char)Convert.ToInt32(body[i..end], 8));
                    i = end - 1;
                    break;
                default:
                    // Python keeps unknown escapes such as "\d" verbatim.
                    builder.Append('\\').Append(escape);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Appends the code point of the <paramref name="digits"/> hex digits after position <paramref name="escapeAt"/>.</summary>
    private static int AppendHex(StringBuilder builder, string body, int escapeAt, int digits, int line)
    {
        var start = escapeAt + 1;
        if (start + digits > body.Length
            || !int.TryParse(body.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var codePoint)
            || codePoint > 0x10FFFF)
        {
            throw new TemplateException($"truncated \\{body[escapeAt]} escape", line);
        }

        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            builder.Append((char)codePoint);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }
        return start + digits - 1;
    }
}
