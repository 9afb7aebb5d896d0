using System.Globalization;
using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax;

/// <summary>
/// Splits a template into tokens the way jinja2's lexer does with transformers' settings
/// (<c>trim_blocks</c>, <c>lstrip_blocks</c>, no trailing newline kept), including its whitespace control:
/// <c>-</c> strips all whitespace on that side, <c>+</c> disables lstrip/trim for that tag.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"];

    private readonly string _source;
    private readonly List<Token> _tokens = [];
    private readonly List<int> _lineStarts = [0];
    private int _position;

    /// <summary>Whether the previous match ended a line, which lets lstrip_blocks apply to a tag at the very start of a line.</summary>
    private bool _lineStarting = true;

    private Lexer(string template)
    {
        _source = NormalizeNewlines(template);
        for (var i = 0; i < _source.Length; i++)
        {
            if (_source[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public static List<Token> Tokenize(string template)
    {
        var lexer = new Lexer(template);
        lexer.Run();
        return lexer._tokens;
    }

    /// <summary>jinja2 turns every line ending into "\n" and drops one trailing newline.</summary>
    private static string NormalizeNewlines(string template)
    {
        var text = template.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    private int LineAt(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private TemplateException Error(string message) => new(message, LineAt(_position));

    private void Run()
    {
        while (_position < _source.Length)
        {
            var tagStart = NextTagStart(_position);
            if (tagStart < 0)
            {
                AddData(_source[_position..], _position);
                _position = _source.Length;
                break;
            }

            var opener = _source[tagStart + 1];
            var sign = tagStart + 2 < _source.Length && _source[tagStart + 2] is '-' or '+' ? _source[tagStart + 2] : '\0';
            var rawEnd = opener == '%' ? MatchRawBegin(tagStart) : -1;
            var text = ApplyLeftWhitespaceControl(_source[_position..tagStart], sign, isVariable: opener == '{');
            AddData(text, _position);
            _lineStarting = false;
            _position = tagStart + 2 + (sign == '\0' ? 0 : 1);

            if (rawEnd >= 0)
            {
                _position = rawEnd;
                _lineStarting = _source[rawEnd - 1] == '\n';
                LexRawBody();
            }
            else if (opener == '#')
            {
                SkipComment();
            }
            else
            {
                LexTag(tagStart, opener == '{');
            }
        }

        _tokens.Add(new Token(TokenKind.EndOfTemplate, string.Empty, LineAt(_source.Length)));
    }

    private int NextTagStart(int from)
    {
        for (var i = _source.IndexOf('{', from); i >= 0 && i + 1 < _source.Length; i = _source.IndexOf('{', i + 1))
        {
            if (_source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    private void AddData(string text, int offset)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Data, text, LineAt(offset)));
        }
    }

    /// <summary>
    /// <c>{%-</c> strips all whitespace before the tag; otherwise lstrip_blocks removes spaces and tabs between
    /// the line start and a block or comment tag (never a <c>{{</c>), unless the tag says <c>+</c>.
    /// </summary>
    private string ApplyLeftWhitespaceControl(string text, char sign, bool isVariable)
    {
        if (sign == '-')
        {
            return PythonText.Strip(text, null, left: false, right: true);
        }

        if (sign == '+' || isVariable)
        {
            return text;
        }

        var lineStart = text.LastIndexOf('\n') + 1;
        if ((lineStart > 0 || _lineStarting) && lineStart < text.Length && IsAllWhitespace(text, lineStart))
        {
            return text[..lineStart];
        }

        return text;
    }

    private static bool IsAllWhitespace(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (!PythonText.IsSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Matches <c>{% raw %}</c> at <paramref name="tagStart"/>; returns the offset after it or -1.</summary>
    private int MatchRawBegin(int tagStart)
    {
        var i = tagStart + 2;
        if (i < _source.Length && _source[i] is '-' or '+')
        {
            i++;
        }

        i = SkipWhitespace(i);
        if (string.CompareOrdinal(_source, i, "raw", 0, 3) != 0)
        {
            return -1;
        }

        i = SkipWhitespace(i + 3);
        if (string.CompareOrdinal(_source, i, "-%}", 0, 3) == 0)
        {
            return SkipWhitespace(i + 3);
        }

        return string.CompareOrdinal(_source, i, "%}", 0, 2) == 0 ? i + 2 : -1;
    }

    private int SkipWhitespace(int i)
    {
        while (i < _source.Length && PythonText.IsSpace(_source[i]))
        {
            i++;
        }

        return i;
    }

    private void LexRawBody()
    {
        for (var tagStart = _source.IndexOf("{%", _position, StringComparison.Ordinal); tagStart >= 0; tagStart = _source.IndexOf("{%", tagStart + 1, StringComparison.Ordinal))
        {
            var sign = tagStart + 2 < _source.Length && _source[tagStart + 2] is '-' or '+' ? _source[tagStart + 2] : '\0';
            var i = SkipWhitespace(tagStart + 2 + (sign == '\0' ? 0 : 1));
            if (string.CompareOrdinal(_source, i, "endraw", 0, 6) != 0)
            {
                continue;
            }

            var end = MatchBlockEnd(SkipWhitespace(i + 6));
            if (end < 0)
            {
                continue;
            }

            AddData(ApplyLeftWhitespaceControl(_source[_position..tagStart], sign, isVariable: false), _position);
            _position = end;
            _lineStarting = _source[end - 1] == '\n';
            return;
        }

        throw Error("Missing end of raw directive");
    }

    /// <summary>Matches a block end at <paramref name="i"/>: <c>+%}</c>, <c>-%}</c> plus following whitespace, or <c>%}</c> plus one newline (trim_blocks).</summary>
    private int MatchBlockEnd(int i)
    {
        if (string.CompareOrdinal(_source, i, "+%}", 0, 3) == 0)
        {
            return i + 3;
        }

        if (string.CompareOrdinal(_source, i, "-%}", 0, 3) == 0)
        {
            return SkipWhitespace(i + 3);
        }

        if (string.CompareOrdinal(_source, i, "%}", 0, 2) == 0)
        {
            return i + 2 < _source.Length && _source[i + 2] == '\n' ? i + 3 : i + 2;
        }

        return -1;
    }

    private int MatchVariableEnd(int i)
    {
        if (string.CompareOrdinal(_source, i, "-}}", 0, 3) == 0)
        {
            return SkipWhitespace(i + 3);
        }

        return string.CompareOrdinal(_source, i, "}}", 0, 2) == 0 ? i + 2 : -1;
    }

    private void SkipComment()
    {
        var close = _source.IndexOf("#}", _position, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error("Missing end of comment tag");
        }

        // A sign directly before "#}" belongs to the closing tag.
        var sign = close > _position ? _source[close - 1] : '\0';
        _position = sign switch
        {
            '-' => SkipWhitespace(close + 2),
            '+' => close + 2,
            _ => close + 2 < _source.Length && _source[close + 2] == '\n' ? close + 3 : close + 2,
        };
        _lineStarting = _source[_position - 1] == '\n';
    }

    private void LexTag(int tagStart, bool isVariable)
    {
        _tokens.Add(new Token(isVariable ? TokenKind.VariableBegin : TokenKind.BlockBegin, _source[tagStart.._position], LineAt(tagStart)));
        var brackets = new Stack<char>();
        while (true)
        {
            _position = SkipWhitespace(_position);
            if (_position >= _source.Length)
            {
                return;
            }

            if (brackets.Count == 0)
            {
                var end = isVariable ? MatchVariableEnd(_position) : MatchBlockEnd(_position);
                if (end >= 0)
                {
                    _tokens.Add(new Token(isVariable ? TokenKind.VariableEnd : TokenKind.BlockEnd, _source[_position..end], LineAt(_position)));
                    _position = end;
                    _lineStarting = _source[end - 1] == '\n';
                    return;
                }
            }

            _tokens.Add(LexTagToken(brackets));
        }
    }

    private Token LexTagToken(Stack<char> brackets)
    {
        var start = _position;
        var line = LineAt(start);
        var c = _source[_position];
        if (char.IsAsciiDigit(c))
        {
            return LexNumber(line);
        }

        if (char.IsLetter(c) || c == '_')
        {
            while (_position < _source.Length && (char.IsLetterOrDigit(_source[_position]) || _source[_position] == '_'))
            {
                _position++;
            }

            return new Token(TokenKind.Name, _source[start.._position], line);
        }

        if (c is '\'' or '"')
        {
            return LexString(c, line);
        }

        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(_source, _position, op, 0, op.Length) == 0)
            {
                _position += op.Length;
                TrackBracket(brackets, op);
                return new Token(TokenKind.Operator, op, line);
            }
        }

        throw Error($"unexpected char {Formatting.PythonRepr.QuoteString(c.ToString())} at {_position}");
    }

    /// <summary>jinja2 only ends a tag when brackets balance, so <c>{{ {'a': 1}}}</c> lexes as intended.</summary>
    private void TrackBracket(Stack<char> brackets, string op)
    {
        switch (op)
        {
            case "{":
                brackets.Push('}');
                break;
            case "(":
                brackets.Push(')');
                break;
            case "[":
                brackets.Push(']');
                break;
            case "}" or ")" or "]":
                if (brackets.Count == 0)
                {
                    throw Error($"unexpected '{op}'");
                }

                var expected = brackets.Pop();
                if (expected != op[0])
                {
                    throw Error($"unexpected '{op}', expected '{expected}'");
                }

                break;
        }
    }

    private Token LexString(char quote, int line)
    {
        var start = _position;
        var i = _position + 1;
        while (i < _source.Length && _source[i] != quote)
        {
            i += _source[i] == '\\' ? 2 : 1;
        }

        if (i >= _source.Length)
        {
            throw Error($"unexpected char {Formatting.PythonRepr.QuoteString(quote.ToString())} at {start}");
        }

        _position = i + 1;
        var text = StringLiteral.Decode(_source[(start + 1)..i], line);
        return new Token(TokenKind.String, _source[start.._position], line, new StringValue(text));
    }

    /// <summary>Integers (decimal, 0x, 0o, 0b, with underscores) and floats (<c>1.5</c>, <c>1e5</c>); <c>1.</c> is an integer then a dot.</summary>
    private Token LexNumber(int line)
    {
        var start = _position;
        if (_source[_position] == '0' && _position + 1 < _source.Length && char.ToLowerInvariant(_source[_position + 1]) is 'x' or 'o' or 'b')
        {
            // As jinja2's 0x(_?[0-9a-f])+ etc.: without a digit of the radix after the prefix, "0" is a number and
            // the letter starts a name.
            var radix = char.ToLowerInvariant(_source[_position + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            var end = _position + 2;
            ulong value = 0;
            var digits = 0;
            while (end < _source.Length)
            {
                var at = _source[end] == '_' ? end + 1 : end;
                if (at >= _source.Length || DigitValue(_source[at]) is not { } digit || digit >= radix)
                {
                    break;
                }

                if (value > (ulong)(long.MaxValue - digit) / (ulong)radix)
                {
                    throw Error("integer literal too large");
                }

                value = (value * (ulong)radix) + (ulong)digit;
                digits++;
                end = at + 1;
            }

            if (digits > 0)
            {
                _position = end;
                return new Token(TokenKind.Integer, _source[start.._position], line, IntegerValue.Of((long)value));
            }
        }

        SkipDigits();
        var isFloat = false;
        if (_position + 1 < _source.Length && _source[_position] == '.' && char.IsAsciiDigit(_source[_position + 1]))
        {
            _position++;
            SkipDigits();
            isFloat = true;
        }

        if (_position < _source.Length && _source[_position] is 'e' or 'E')
        {
            var exponentStart = _position;
            _position++;
            if (_position < _source.Length && _source[_position] is '+' or '-')
            {
                _position++;
            }

            if (_position < _source.Length && char.IsAsciiDigit(_source[_position]))
            {
                SkipDigits();
                isFloat = true;
            }
            else
            {
                _position = exponentStart;
            }
        }

        var text = _source[start.._position];
        var number = text.Replace("_", string.Empty, StringComparison.Ordinal);
        Value literal = isFloat
            ? new FloatValue(double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture))
            : long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var integer) ? IntegerValue.Of(integer) : throw Error("integer literal too large");
        return new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text, line, literal);
    }

    private static int? DigitValue(char c) =>
        char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigitLower(c) ? c - 'a' + 10 : char.IsAsciiHexDigitUpper(c) ? c - 'A' + 10 : null;

    private void SkipDigits()
    {
        while (_position < _source.Length && (char.IsAsciiDigit(_source[_position]) || (_source[_position] == '_' && _position + 1 < _source.Length && char.IsAsciiDigit(_source[_position + 1]))))
        {
            _position++;
        }
    }
}
