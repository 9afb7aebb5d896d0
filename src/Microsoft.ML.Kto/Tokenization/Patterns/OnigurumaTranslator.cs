using System.Globalization;
using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// Translates a tokenizer.json regex into a .NET pattern that finds the same matches. The Rust <c>tokenizers</c>
/// crate compiles these with <c>onig::Regex::new</c>: Oniguruma 6.9.9, ONIG_SYNTAX_ONIGURUMA (Ruby-like), no
/// options, UTF-8 text, so classes and properties test whole code points. .NET tests UTF-16 units instead, so every
/// character set here is computed as a <see cref="CodePointSet"/> and emitted in a form that consumes exactly one
/// code point (a surrogate pair for astral ones). The semantics followed are Oniguruma's, from its source:
/// <list type="bullet">
/// <item><c>\s</c> White_Space; <c>\d</c> Decimal_Number; <c>\h</c> ASCII hex digit; <c>\w</c> and <c>\b</c> use
/// Alphabetic + Mark + Decimal_Number + Connector_Punctuation; <c>.</c> any code point but LF.</item>
/// <item><c>^</c> and <c>$</c> are line anchors (LF only); <c>^</c> does not match after a final LF; <c>\Z</c> is the
/// end or before a final LF.</item>
/// <item><c>*+ ++ ?+</c> are possessive; <c>{n,m}+</c> is NOT (it repeats the interval), and <c>{n,m}</c> with n &gt; m
/// is possessive {m,n}; <c>{n}?</c> is <c>(?:X{n})?</c>, not lazy; nested repeats are reduced as Oniguruma does.</item>
/// <item><c>(?i)</c> without a group applies to the rest of the enclosing group, later alternatives included;
/// <c>(?m)</c> makes <c>.</c> match LF; <c>(?x)</c> is extended syntax.</item>
/// <item>Case-insensitivity (see <see cref="CaseFolding"/>) applies to literals and bracket classes, not to
/// <c>\p{...}</c>, <c>\w</c> and the like; a negated class is complemented after case closure.</item>
/// </list>
/// Anything else that Oniguruma accepts but this cannot reproduce exactly (<c>\G</c>, <c>\K</c>, <c>\X</c>,
/// <c>\y</c>, subexpression calls, absent operators, conditionals, callouts, ASCII-range options, unsupported
/// properties, multi-character case folds, case-insensitive backreferences) throws <see cref="NotSupportedException"/>;
/// patterns that Oniguruma itself rejects throw <see cref="FormatException"/>. Either message names the construct
/// and its offset in the pattern.
/// </summary>
internal sealed class OnigurumaTranslator
{
    private const int Infinite = -1;

    // Oniguruma's ONIG_MAX_REPEAT_NUM.
    private const int MaxRepeat = 100000;

    // Oniguruma's ReduceTypeTable, [inner][outer], over the popular quantifiers ? * + ?? *? +?.
    private static readonly Reduction[,] NestedQuantifierReductions =
    {
        { Reduction.Delete, Reduction.Star, Reduction.Star, Reduction.LazyOptional, Reduction.LazyStar, Reduction.AsIs },
        { Reduction.Delete, Reduction.Delete, Reduction.Delete, Reduction.PlusLazyOptional, Reduction.PlusLazyOptional, Reduction.Delete },
        { Reduction.Star, Reduction.Star, Reduction.Delete, Reduction.AsIs, Reduction.PlusLazyOptional, Reduction.Delete },
        { Reduction.Delete, Reduction.LazyStar, Reduction.LazyStar, Reduction.Delete, Reduction.LazyStar, Reduction.LazyStar },
        { Reduction.Delete, Reduction.Delete, Reduction.Delete, Reduction.Delete, Reduction.Delete, Reduction.Delete },
        { Reduction.AsIs, Reduction.Star, Reduction.Plus, Reduction.LazyStar, Reduction.LazyStar, Reduction.Delete },
    };

    private readonly int[] _codePoints;
    private readonly int[] _offsets;
    private readonly Dictionary<string, List<int>> _groupsByName = new(StringComparer.Ordinal);
    private readonly List<Backreference> _backreferences = [];
    private readonly HashSet<int> _referencedGroups = [];
    private int _position;
    private Options _options;
    private int _groupCount;
    private LookBehindContext _lookBehind;
    private bool _bmpOnly;

    private OnigurumaTranslator(string pattern)
    {
        var points = new List<int>();
        var starts = new List<int>();
        for (var i = 0; i < pattern.Length; i += points[^1] > 0xFFFF ? 2 : 1)
        {
            if (Rune.DecodeFromUtf16(pattern.AsSpan(i), out var rune, out _) != System.Buffers.OperationStatus.Done)
            {
                throw new FormatException($"invalid pattern: lone surrogate at offset {i}");
            }

            points.Add(rune.Value);
            starts.Add(i);
        }

        starts.Add(pattern.Length);
        _codePoints = [.. points];
        _offsets = [.. starts];
    }

    private enum Reduction
    {
        AsIs,
        Delete,
        Star,
        Plus,
        LazyStar,
        LazyOptional,
        PlusLazyOptional,
    }

    private enum GroupKind
    {
        NonCapturing,
        Options,
        Capture,
        Atomic,
        LookAhead,
        NegativeLookAhead,
        LookBehind,
        NegativeLookBehind,
    }

    private bool AtEnd => _position >= _codePoints.Length;

    /// <summary>
    /// The .NET pattern equivalent to Oniguruma <paramref name="pattern"/> (a regex without options), and a second
    /// one that finds the same matches on text without surrogates: there no set can match a surrogate pair, so sets
    /// are plain BMP classes, which .NET matches many times faster than the surrogate-pair alternatives.
    /// </summary>
    public static (string Pattern, string BmpOnlyPattern) Translate(string pattern)
    {
        var translator = new OnigurumaTranslator(pattern);
        var tree = translator.ParseAlternation();
        if (!translator.AtEnd)
        {
            throw translator.Invalid("unmatched close parenthesis");
        }

        translator.ResolveBackreferences();
        CheckCaseInsensitiveLiterals(tree);
        var full = translator.Emit(tree);
        translator._bmpOnly = true;
        return (full, translator.Emit(tree));
    }

    // ---------------------------------------------------------------- parsing

    private Node ParseAlternation()
    {
        var branches = new List<Node> { ParseBranch() };
        while (!AtEnd && Peek() == '|')
        {
            _position++;
            branches.Add(ParseBranch());
        }

        return branches.Count == 1 ? branches[0] : new Alternation(branches);
    }

    private Node ParseBranch()
    {
        var items = new List<Node>();
        while (true)
        {
            SkipIgnored();
            if (AtEnd || Peek() is '|' or ')')
            {
                break;
            }

            var atom = ParseAtom();
            if (atom is OptionSwitch change)
            {
                // "(?i)" applies to the rest of the enclosing group, later alternatives included: a(?i)b|c is a(?i:b|c).
                var saved = _options;
                _options = change.Options;
                items.Add(new Group(GroupKind.Options, ParseAlternation()));
                _options = saved;
                break;
            }

            items.Add(ParseQuantifiers(atom));
        }

        return items.Count == 1 ? items[0] : new Sequence(items);
    }

    /// <summary>Skips what Oniguruma's tokenizer skips between tokens: (?#...) comments and, with (?x), blanks and # comments.</summary>
    private void SkipIgnored()
    {
        while (!AtEnd)
        {
            if (Peek() == '(' && PeekAt(1) == '?' && PeekAt(2) == '#')
            {
                var start = _position;
                _position += 3;
                while (true)
                {
                    if (AtEnd)
                    {
                        throw Invalid("end pattern in group", start);
                    }

                    var c = Next();
                    if (c == '\\' && !AtEnd)
                    {
                        _position++;
                    }
                    else if (c == ')')
                    {
                        break;
                    }
                }
            }
            else if (_options.Extended && Peek() is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                _position++;
            }
            else if (_options.Extended && Peek() == '#')
            {
                while (!AtEnd && Next() != '\n')
                {
                }
            }
            else
            {
                return;
            }
        }
    }

    private Node ParseAtom()
    {
        var start = _position;
        var c = Next();
        switch (c)
        {
            case '(':
                return ParseGroup(start);
            case '[':
                return ParseBracketClass();
            case '.':
                return new CharSet(_options.DotAll ? CodePointSet.All : AllButNewline());
            case '^':
                return new Anchor(@"(?:\A|(?<=\n)(?!\z))");
            case '$':
                return new Anchor(@"(?=\n|\z)");
            case '\\':
                return ParseEscape(start);
            case '*' or '+' or '?':
                throw Invalid("target of repeat operator is not specified", start);
            case '{':
                _position = start;
                if (TryParseInterval(out _, out _, out _, out _))
                {
                    throw Invalid("target of repeat operator is not specified", start);
                }

                _position = start + 1;
                return new Literal(c, _options.IgnoreCase);
            default:
                return new Literal(c, _options.IgnoreCase);
        }
    }

    private Node ParseGroup(int start)
    {
        if (AtEnd)
        {
            throw Invalid("end pattern with unmatched parenthesis", start);
        }

        if (Peek() == '*')
        {
            throw Unsupported("callout (*...)", start);
        }

        if (Peek() != '?')
        {
            return ParseGroupBody(GroupKind.Capture, start, ++_groupCount);
        }

        _position++;
        if (AtEnd)
        {
            throw Invalid("end pattern in group", start);
        }

        var c = Next();
        switch (c)
        {
            case ':':
                return ParseGroupBody(GroupKind.NonCapturing, start);
            case '=':
                return ParseGroupBody(GroupKind.LookAhead, start);
            case '!':
                return ParseGroupBody(GroupKind.NegativeLookAhead, start);
            case '>':
                return ParseGroupBody(GroupKind.Atomic, start);
            case '<' when !AtEnd && Peek() == '=':
                _position++;
                return ParseGroupBody(GroupKind.LookBehind, start);
            case '<' when !AtEnd && Peek() == '!':
                _position++;
                return ParseGroupBody(GroupKind.NegativeLookBehind, start);
            case '<' or '\'':
                {
                    var name = ParseGroupName(c == '<' ? '>' : '\'', start, isReference: false);
                    var number = ++_groupCount;
                    if (!_groupsByName.TryGetValue(name.Name, out var numbers))
                    {
                        _groupsByName[name.Name] = numbers = [];
                    }

                    numbers.Add(number);
                    return ParseGroupBody(GroupKind.Capture, start, number);
                }

            case '~':
                throw Unsupported("absent operator (?~...)", start);
            case '(':
                throw Unsupported("conditional (?(...)...)", start);
            case '{':
                throw Unsupported("callout (?{...})", start);
            case '-' or 'i' or 'm' or 'x' or 'W' or 'D' or 'S' or 'P' or 'y' or 'C' or 'I' or 'L':
                _position--;
                return ParseOptions(start);
            default:
                throw Invalid("undefined group option", start);
        }
    }

    /// <summary>(?imx-imx) or (?imx-imx:...); the other Oniguruma options have no translation.</summary>
    private Node ParseOptions(int start)
    {
        var changed = _options;
        var negative = false;
        while (true)
        {
            if (AtEnd)
            {
                throw Invalid("end pattern in group", start);
            }

            var c = Next();
            switch (c)
            {
                case '-':
                    negative = true;
                    break;
                case 'i':
                    changed = changed with { IgnoreCase = !negative };
                    break;
                case 'm':
                    changed = changed with { DotAll = !negative };
                    break;
                case 'x':
                    changed = changed with { Extended = !negative };
                    break;
                case 'W' or 'D' or 'S' or 'P' or 'y' or 'C' or 'I' or 'L':
                    throw Unsupported($"option '{(char)c}' in (?{(char)c}...)", start);
                case ')':
                    return new OptionSwitch(changed);
                case ':':
                    var saved = _options;
                    _options = changed;
                    var group = ParseGroupBody(GroupKind.Options, start);
                    _options = saved;
                    return group;
                default:
                    throw Invalid("undefined group option", start);
            }
        }
    }

    private Group ParseGroupBody(GroupKind kind, int start, int number = 0)
    {
        var savedLookBehind = _lookBehind;
        if (_lookBehind.Any && kind is GroupKind.LookAhead or GroupKind.NegativeLookAhead)
        {
            throw Invalid("look-ahead inside a look-behind", start);
        }

        if (_lookBehind.AnyPositive && kind == GroupKind.NegativeLookBehind)
        {
            throw Invalid("negative look-behind inside a look-behind", start);
        }

        if (_lookBehind.AnyNegative && kind == GroupKind.Capture)
        {
            throw Invalid("capture group inside a negative look-behind", start);
        }

        _lookBehind = kind switch
        {
            GroupKind.LookBehind => _lookBehind with { AnyPositive = true },
            GroupKind.NegativeLookBehind => _lookBehind with { AnyNegative = true },
            _ => _lookBehind,
        };
        var body = ParseAlternation();
        _lookBehind = savedLookBehind;
        if (AtEnd)
        {
            throw Invalid("end pattern with unmatched parenthesis", start);
        }

        _position++;
        return new Group(kind, body, number);
    }

    private Node ParseQuantifiers(Node atom)
    {
        while (true)
        {
            SkipIgnored();
            if (AtEnd)
            {
                return atom;
            }

            var start = _position;
            int min, max;
            var greedy = true;
            var possessive = false;
            switch (Peek())
            {
                case '*' or '+' or '?':
                    (min, max) = Next() switch { '*' => (0, Infinite), '+' => (1, Infinite), _ => (0, 1) };
                    if (!AtEnd && Peek() == '?')
                    {
                        _position++;
                        greedy = false;
                    }
                    else if (!AtEnd && Peek() == '+')
                    {
                        _position++;
                        possessive = true;
                    }

                    break;
                case '{' when TryParseInterval(out min, out max, out possessive, out var isFixed):
                    // {n,m}? is lazy; a fixed {n} takes no '?' (that would be a second, nested repeat) and an
                    // interval never takes a possessive '+' in this syntax.
                    if (!isFixed && !possessive && !AtEnd && Peek() == '?')
                    {
                        _position++;
                        greedy = false;
                    }

                    break;
                default:
                    return atom;
            }

            atom = Quantify(atom, min, max, greedy, possessive, start);
        }
    }

    /// <summary>Oniguruma's fetch_interval: {n,m}, {n,}, {,m}, {n}; anything else leaves '{' a literal.</summary>
    private bool TryParseInterval(out int min, out int max, out bool possessive, out bool isFixed)
    {
        var start = _position;
        min = max = 0;
        possessive = isFixed = false;
        _position++;
        var low = ScanDecimal(start);
        var lowOmitted = low is null;
        if (AtEnd)
        {
            _position = start;
            return false;
        }

        int high;
        if (Peek() == ',')
        {
            _position++;
            var scanned = ScanDecimal(start);
            if (scanned is null && lowOmitted)
            {
                _position = start;
                return false;
            }

            high = scanned ?? Infinite;
        }
        else if (lowOmitted)
        {
            _position = start;
            return false;
        }
        else
        {
            high = low.GetValueOrDefault();
            isFixed = true;
        }

        if (AtEnd || Next() != '}')
        {
            _position = start;
            return false;
        }

        min = low ?? 0;
        max = high;
        if (max != Infinite && min > max)
        {
            // Ruby syntax: {n,m} with n > m is the possessive {m,n}.
            (min, max) = (max, min);
            possessive = true;
        }

        return true;
    }

    private int? ScanDecimal(int start)
    {
        var digitsStart = _position;
        long value = 0;
        while (!AtEnd && Peek() is >= '0' and <= '9')
        {
            value = Math.Min((value * 10) + (Next() - '0'), int.MaxValue);
        }

        if (value > MaxRepeat)
        {
            throw Invalid("too big number for repeat range", start);
        }

        return _position == digitsStart ? null : (int)value;
    }

    private Node Quantify(Node target, int min, int max, bool greedy, bool possessive, int start)
    {
        if (IsInvalidQuantifierTarget(target))
        {
            throw Invalid("target of repeat operator is invalid", start);
        }

        if (min == 1 && max == 1)
        {
            return target;
        }

        // A plain (?:...) group is its body to Oniguruma, so (?:a*)+ is a nested repeat that it reduces.
        var body = target is Group { Kind: GroupKind.NonCapturing } plain ? plain.Body : target;
        Node result = new Quantifier(body, min, max, greedy);
        if (body is Quantifier inner)
        {
            var innerType = PopularType(inner);
            var outerType = PopularType((Quantifier)result);
            if (innerType >= 0 && outerType < 0)
            {
                // (?:a*){n,m} and (?:a+){n,m} repeat at most max(n, 1) times.
                if (innerType is 1 or 2 && max != Infinite && max > 1 && greedy)
                {
                    result = new Quantifier(body, min, min == 0 ? 1 : min, greedy);
                }
            }
            else if (innerType < 0 || outerType < 0)
            {
                if (inner.Min == inner.Max && min == max)
                {
                    var product = (long)inner.Min * min;
                    result = product <= int.MaxValue
                        ? new Quantifier(inner.Body, (int)product, (int)product, Greedy: true)
                        : throw Invalid("too big number for repeat range", start);
                }
            }
            else
            {
                result = NestedQuantifierReductions[innerType, outerType] switch
                {
                    Reduction.Delete => inner,
                    Reduction.Star => new Quantifier(inner.Body, 0, Infinite, Greedy: true),
                    Reduction.Plus => new Quantifier(inner.Body, 1, Infinite, Greedy: true),
                    Reduction.LazyStar => new Quantifier(inner.Body, 0, Infinite, Greedy: false),
                    Reduction.LazyOptional => new Quantifier(inner.Body, 0, 1, Greedy: false),
                    Reduction.PlusLazyOptional => new Quantifier(new Quantifier(inner.Body, 1, Infinite, Greedy: true), 0, 1, Greedy: false),
                    _ => result,
                };
            }
        }

        return possessive ? new Group(GroupKind.Atomic, result) : result;
    }

    /// <summary>Oniguruma's quantifier_type_num: ? * + ?? *? +? are 0..5, anything else -1.</summary>
    private static int PopularType(Quantifier quantifier) => (quantifier.Min, quantifier.Max) switch
    {
        (0, 1) => quantifier.Greedy ? 0 : 3,
        (0, Infinite) => quantifier.Greedy ? 1 : 4,
        (1, Infinite) => quantifier.Greedy ? 2 : 5,
        _ => -1,
    };

    /// <summary>Anchors and look-arounds cannot be repeated, nor an alternation with one among its branches.</summary>
    private static bool IsInvalidQuantifierTarget(Node node) => node switch
    {
        Anchor or WordBoundary => true,
        Group { Kind: GroupKind.LookAhead or GroupKind.NegativeLookAhead or GroupKind.LookBehind or GroupKind.NegativeLookBehind } => true,
        Group { Kind: GroupKind.NonCapturing } group => IsInvalidQuantifierTarget(group.Body),
        Alternation alternation => alternation.Branches.Any(IsInvalidQuantifierTarget),
        _ => false,
    };

    private Node ParseEscape(int start)
    {
        if (AtEnd)
        {
            throw Invalid("end pattern at escape", start);
        }

        var c = Next();
        switch (c)
        {
            case 'w' or 'W' or 's' or 'S' or 'd' or 'D' or 'h' or 'H':
                return new CharSet(CharacterType(c));
            case 'p' or 'P' when !AtEnd && Peek() == '{':
                return new CharSet(ParseProperty(c == 'P', start));
            case 'b':
                return new WordBoundary(Negated: false);
            case 'B':
                return new WordBoundary(Negated: true);
            case 'A':
                return new Anchor(@"\A");
            case 'z' or 'Z':
                if (_lookBehind.Any)
                {
                    throw Invalid($"\\{(char)c} inside a look-behind", start);
                }

                return new Anchor(c == 'z' ? @"\z" : @"\Z");
            case 'R':
                // Oniguruma's general newline: (?>\r\n|[\n\v\f\r\x85\u2028\u2029]).
                return new Group(GroupKind.Atomic, new Alternation(
                [
                    new Sequence([new Literal('\r', IgnoreCase: false), new Literal('\n', IgnoreCase: false)]),
                    new CharSet(CodePointSet.FromRanges([('\n', '\r'), (0x85, 0x85), (0x2028, 0x2029)])),
                ]));
            case 'N':
                return new CharSet(AllButNewline());
            case 'O':
                return new CharSet(CodePointSet.All);
            case 'k' when !AtEnd && Peek() is '<' or '\'':
                return ParseNamedBackreference(start);
            case >= '1' and <= '9':
                return ParseNumberedEscape(c, start);
            case 'G':
                throw Unsupported(@"\G (search start anchor)", start);
            case 'K':
                throw Unsupported(@"\K (keep)", start);
            case 'X':
                throw Unsupported(@"\X (text segment)", start);
            case 'y' or 'Y':
                throw Unsupported($"\\{(char)c} (text segment boundary)", start);
            case 'g' when !AtEnd && Peek() is '<' or '\'':
                throw Unsupported(@"subexpression call \g<...>", start);
            default:
                _position--;
                return new Literal(ParseEscapedCodePoint(start), _options.IgnoreCase);
        }
    }

    /// <summary>
    /// The code point of an escape that stands for one character, the backslash at <paramref name="start"/> and
    /// <see cref="_position"/> after it: \t \n \r \f \v \a \e, \0oo, \xHH, \x{H...}, \uHHHH, \o{O...}, or the escaped
    /// character itself. Inside a class \b is backspace and \1..\7 are octal.
    /// </summary>
    private int ParseEscapedCodePoint(int start, bool inClass = false)
    {
        var c = Next();
        switch (c)
        {
            case 'x' when !AtEnd && Peek() == '{':
                _position++;
                return ParseBracedCodePoint(16, 8, start);
            case 'o' when !AtEnd && Peek() == '{':
                _position++;
                return ParseBracedCodePoint(8, 11, start);
            case 'x':
                return ByteValue(ScanNumber(16, 2, start) ?? 0, start);
            case 'u':
                return ScanNumber(16, 4, start) is { } code && _position - start == 6
                    ? ValidCodePoint(code, start)
                    : throw Invalid("invalid code point value", start);
            case '0':
                return ByteValue(ScanNumber(8, 2, start) ?? 0, start);
            case >= '1' and <= '7' when inClass:
                _position--;
                return ByteValue(ScanNumber(8, 3, start)!.Value, start);
            case 'c' or 'C' or 'M':
                throw Unsupported($"control/meta escape \\{(char)c}", start);
            default:
                return c switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'f' => '\f',
                    'v' => '\v',
                    'a' => '\a',
                    'b' => '\b',
                    'e' => '\u001B',
                    _ => c,
                };
        }
    }

    private int ParseBracedCodePoint(int radix, int maxDigits, int start)
    {
        var code = ScanNumber(radix, maxDigits, start);
        if (code is null || AtEnd || (Peek() != '}' && IsDigit(Peek(), radix)))
        {
            throw Invalid("invalid code point value", start);
        }

        if (Next() != '}')
        {
            throw Unsupported("code point list in \\x{...} or \\o{...}", start);
        }

        return ValidCodePoint(code.Value, start);
    }

    private int? ScanNumber(int radix, int maxDigits, int start)
    {
        var digitsStart = _position;
        long value = 0;
        while (!AtEnd && _position - digitsStart < maxDigits && IsDigit(Peek(), radix))
        {
            var digit = Next();
            value = Math.Min((value * radix) + (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10), int.MaxValue + 1L);
        }

        return _position == digitsStart ? null : value <= int.MaxValue ? (int)value : throw Invalid("too big number", start);
    }

    private static bool IsDigit(int c, int radix) => radix switch
    {
        8 => c is >= '0' and <= '7',
        10 => c is >= '0' and <= '9',
        _ => c < 0x80 && char.IsAsciiHexDigit((char)c),
    };

    private int ValidCodePoint(int code, int start) =>
        code > CodePointSet.MaxCodePoint ? throw Invalid("invalid code point value", start)
        : code is >= 0xD800 and <= 0xDFFF ? throw Unsupported("surrogate code point escape", start)
        : code;

    /// <summary>\xHH and octal escapes are bytes of the UTF-8 pattern in Oniguruma; only ASCII ones are whole characters.</summary>
    private int ByteValue(int value, int start) =>
        value >= 256 ? throw Invalid("too big number", start)
        : value >= 0x80 ? throw Unsupported("raw byte escape above \\x7F", start)
        : value;

    /// <summary>\1..\9 are backreferences; a larger number is one if that many groups are open, else octal.</summary>
    private Node ParseNumberedEscape(int first, int start)
    {
        _position--;
        var digitsStart = _position;
        var number = ScanNumber(10, int.MaxValue, start)!.Value;
        if (number <= 1000 && (number <= _groupCount || number <= 9))
        {
            return AddBackreference(new Backreference(number, null, _options.IgnoreCase, start));
        }

        _position = digitsStart;
        if (first is '8' or '9')
        {
            _position++;
            return new Literal(first, _options.IgnoreCase);
        }

        return new Literal(ByteValue(ScanNumber(8, 3, start)!.Value, start), _options.IgnoreCase);
    }

    private Node ParseNamedBackreference(int start)
    {
        var name = ParseGroupName(Next() == '<' ? '>' : '\'', start, isReference: true);
        return AddBackreference(new Backreference(name.Number, name.Number is null ? name.Name : null, _options.IgnoreCase, start));
    }

    private Backreference AddBackreference(Backreference backreference)
    {
        if (_lookBehind.Any)
        {
            throw Unsupported("backreference inside a look-behind", backreference.Offset);
        }

        _backreferences.Add(backreference);
        return backreference;
    }

    /// <summary>
    /// A group name up to <paramref name="terminator"/>: word characters not starting with a digit, or, in a
    /// reference, a group number.
    /// </summary>
    private (string Name, int? Number) ParseGroupName(int terminator, int start, bool isReference)
    {
        var nameStart = _position;
        while (!AtEnd && Peek() != terminator)
        {
            _position++;
        }

        if (AtEnd)
        {
            throw Invalid("invalid group name", start);
        }

        var name = Text(nameStart, _position);
        _position++;
        if (isReference && name.Length is > 0 and < 10 && name.All(char.IsAsciiDigit))
        {
            return (name, int.Parse(name, NumberStyles.None, CultureInfo.InvariantCulture));
        }

        if (isReference && (name.Contains('+') || name.Contains('-')))
        {
            throw Unsupported("relative or leveled backreference", start);
        }

        var runes = name.EnumerateRunes().ToList();
        if (runes.Count == 0 || Rune.IsDigit(runes[0]) || !runes.All(r => UnicodeProperties.Word.Contains(r.Value)))
        {
            throw Invalid("invalid group name", start);
        }

        return (name, null);
    }

    private CodePointSet ParseProperty(bool negated, int start)
    {
        _position++;
        if (!AtEnd && Peek() == '^')
        {
            _position++;
            negated = !negated;
        }

        var nameStart = _position;
        while (!AtEnd && Peek() is not ('}' or '(' or ')' or '{' or '|'))
        {
            _position++;
        }

        if (AtEnd || Peek() != '}')
        {
            throw Invalid("invalid character property name", start);
        }

        var name = Text(nameStart, _position);
        _position++;
        if (!UnicodeProperties.TryGetProperty(name, out var set))
        {
            throw Unsupported(
                $"Unicode property \\p{{{name}}} (supported: general categories, Any, Assigned, ASCII, Word, Space, Digit, " +
                "XDigit, Blank, Cntrl, Graph, Print, Newline)",
                start);
        }

        return negated ? set.Complement() : set;
    }

    private static CodePointSet CharacterType(int letter)
    {
        var set = char.ToLowerInvariant((char)letter) switch
        {
            'w' => UnicodeProperties.Word,
            's' => UnicodeProperties.Space,
            'd' => UnicodeProperties.Digit,
            _ => UnicodeProperties.HexDigit,
        };
        return char.IsAsciiLetterUpper((char)letter) ? set.Complement() : set;
    }

    private static CodePointSet AllButNewline() => CodePointSet.Of('\n').Complement();

    /// <summary>A bracket class; with (?i) its members are closed under case folding before a leading ^ negates it.</summary>
    private CharSet ParseBracketClass()
    {
        var start = _position - 1;
        var members = ParseClassBody(start, out var negated);
        if (_options.IgnoreCase)
        {
            members = CaseFolding.Close(members);
            if (!negated && !members.Intersect(CaseFolding.MultiCharFoldSources).IsEmpty)
            {
                throw Unsupported("case-insensitive class containing a character with a multi-character case folding (such as \u00DF)", start);
            }
        }

        return new CharSet(negated ? members.Complement() : members);
    }

    /// <summary>Oniguruma's prs_cc: the members of the class opened just before <see cref="_position"/>, before its own ^.</summary>
    private CodePointSet ParseClassBody(int start, out bool negated)
    {
        negated = !AtEnd && Peek() == '^';
        if (negated)
        {
            _position++;
        }

        if (!AtEnd && Peek() == ']' && !CloseBracketFollows(_position + 1))
        {
            throw Invalid("empty char-class", start);
        }

        CodePointSet? intersection = null;
        var members = CodePointSet.Empty;
        var pending = -1; // a character that may still start a range
        var afterRangeOperator = false;
        var lastWasSet = false;
        for (var first = true; ; first = false)
        {
            if (AtEnd)
            {
                throw Invalid("premature end of char-class", start);
            }

            var tokenStart = _position;
            var c = Next();
            if (c == ']' && !first)
            {
                break;
            }

            CodePointSet? set = null;
            var literal = -1;
            if (c == '-' && !first && !afterRangeOperator)
            {
                if (pending >= 0 && !(PeekIs(']') || PeekIs('&', '&')))
                {
                    afterRangeOperator = true;
                    continue;
                }

                if (lastWasSet && !(PeekIs(']') || PeekIs('&', '&')))
                {
                    throw Invalid("unmatched range specifier in char-class", tokenStart);
                }

                literal = '-';
            }
            else if (c == '&' && PeekIs('&'))
            {
                _position++;
                members = Flush(members, ref pending);
                intersection = intersection is null ? members : intersection.Intersect(members);
                members = CodePointSet.Empty;
                lastWasSet = false;
                continue;
            }
            else if (c == '[')
            {
                if (PeekIs(':') && TryParsePosixBracket(tokenStart, out var posix))
                {
                    set = posix;
                }
                else
                {
                    if (afterRangeOperator)
                    {
                        throw Unsupported("range ending in a nested class", tokenStart);
                    }

                    members = Flush(members, ref pending);
                    var nested = ParseClassBody(tokenStart, out var nestedNegated);
                    members = members.Union(nestedNegated ? nested.Complement() : nested);
                    lastWasSet = false;
                    continue;
                }
            }
            else if (c == '\\')
            {
                if (AtEnd)
                {
                    throw Invalid("end pattern at escape", tokenStart);
                }

                var letter = Peek();
                if (letter is 'w' or 'W' or 's' or 'S' or 'd' or 'D' or 'h' or 'H')
                {
                    _position++;
                    set = CharacterType(letter);
                }
                else if (letter is 'p' or 'P' && PeekAt(1) == '{')
                {
                    _position++;
                    set = ParseProperty(letter == 'P', tokenStart);
                }
                else
                {
                    literal = ParseEscapedCodePoint(tokenStart, inClass: true);
                }
            }
            else
            {
                literal = c;
            }

            if (set is not null)
            {
                if (afterRangeOperator)
                {
                    throw Invalid("char-class value at end of range", tokenStart);
                }

                members = Flush(members, ref pending).Union(set);
                lastWasSet = true;
            }
            else if (afterRangeOperator)
            {
                if (pending > literal)
                {
                    throw Invalid("empty range in char class", tokenStart);
                }

                members = members.Union(CodePointSet.Range(pending, literal));
                pending = -1;
                afterRangeOperator = false;
                lastWasSet = false;
            }
            else
            {
                members = Flush(members, ref pending);
                pending = literal;
                lastWasSet = false;
            }
        }

        members = Flush(members, ref pending);
        return intersection is null ? members : intersection.Intersect(members);
    }

    private static CodePointSet Flush(CodePointSet members, ref int pending)
    {
        if (pending < 0)
        {
            return members;
        }

        var result = members.Union(CodePointSet.Of(pending));
        pending = -1;
        return result;
    }

    /// <summary>Whether an unescaped ']' occurs at or after <paramref name="from"/> (Oniguruma then reads "[]...]" as ']').</summary>
    private bool CloseBracketFollows(int from)
    {
        for (var i = from; i < _codePoints.Length; i++)
        {
            if (_codePoints[i] == '\\')
            {
                i++;
            }
            else if (_codePoints[i] == ']')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>[:name:] or [:^name:] after the '[' at <paramref name="start"/>; false when the text is not shaped like one.</summary>
    private bool TryParsePosixBracket(int start, out CodePointSet set)
    {
        set = CodePointSet.Empty;
        var i = _position + 1;
        var negated = i < _codePoints.Length && _codePoints[i] == '^';
        var nameStart = negated ? i + 1 : i;
        var nameEnd = nameStart;
        while (nameEnd < _codePoints.Length && _codePoints[nameEnd] < 0x80 && char.IsAsciiLetter((char)_codePoints[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == i || nameEnd + 1 >= _codePoints.Length || _codePoints[nameEnd] != ':' || _codePoints[nameEnd + 1] != ']')
        {
            return false;
        }

        var name = Text(nameStart, nameEnd);
        if (!UnicodeProperties.TryGetPosixBracket(name, out set))
        {
            throw name is "alnum" or "alpha" or "lower" or "upper"
                ? Unsupported($"POSIX bracket [:{name}:] (it needs Unicode properties beyond general categories)", start)
                : Invalid("invalid POSIX bracket type", start);
        }

        _position = nameEnd + 2;
        set = negated ? set.Complement() : set;
        return true;
    }

    // ---------------------------------------------------------------- checks

    private void ResolveBackreferences()
    {
        foreach (var backreference in _backreferences)
        {
            if (backreference.IgnoreCase)
            {
                throw Unsupported("case-insensitive backreference", backreference.Offset);
            }

            if (backreference.Name is { } name)
            {
                if (!_groupsByName.TryGetValue(name, out var numbers))
                {
                    throw Invalid("undefined name reference", backreference.Offset);
                }

                if (numbers.Count > 1)
                {
                    throw Unsupported("backreference to a name defined more than once", backreference.Offset);
                }

                backreference.Group = numbers[0];
            }
            else
            {
                if (_groupsByName.Count > 0)
                {
                    throw Invalid("numbered backref/call is not allowed (use name)", backreference.Offset);
                }

                if (backreference.Number > _groupCount || backreference.Number <= 0)
                {
                    throw Invalid("invalid backref number/name", backreference.Offset);
                }

                backreference.Group = backreference.Number!.Value;
            }

            _referencedGroups.Add(backreference.Group);
        }
    }

    /// <summary>
    /// Refuses case-insensitive literal text that Oniguruma would also match through a multi-character folding:
    /// a character with one (ß matches "ss") or text that is one (ss matches "ß"). Adjacent literals count as one
    /// text across plain and option groups, as Oniguruma merges such strings.
    /// </summary>
    private static void CheckCaseInsensitiveLiterals(Node node)
    {
        switch (node)
        {
            case Sequence sequence:
                var run = new List<Literal>();
                foreach (var item in Flatten(sequence))
                {
                    if (item is Literal { IgnoreCase: true } literal)
                    {
                        run.Add(literal);
                        continue;
                    }

                    CheckRun(run);
                    run.Clear();
                    CheckCaseInsensitiveLiterals(item);
                }

                CheckRun(run);
                break;
            case Literal { IgnoreCase: true } literal:
                CheckRun([literal]);
                break;
            case Alternation alternation:
                alternation.Branches.ForEach(CheckCaseInsensitiveLiterals);
                break;
            case Group group:
                CheckCaseInsensitiveLiterals(group.Body);
                break;
            case Quantifier quantifier:
                CheckCaseInsensitiveLiterals(quantifier.Body);
                break;
        }
    }

    private static IEnumerable<Node> Flatten(Sequence sequence) => sequence.Items.SelectMany(item => item switch
    {
        Group { Kind: GroupKind.NonCapturing or GroupKind.Options, Body: Sequence inner } => Flatten(inner),
        Group { Kind: GroupKind.NonCapturing or GroupKind.Options, Body: Literal inner } => [inner],
        _ => [item],
    });

    private static void CheckRun(List<Literal> run)
    {
        var sources = CaseFolding.MultiCharFoldSources;
        if (run.Any(l => sources.Contains(l.CodePoint)) || CaseFolding.ContainsMultiCharFoldTarget(run.Select(l => l.CodePoint).ToList()))
        {
            var text = string.Concat(run.Select(l => char.ConvertFromUtf32(l.CodePoint)));
            throw new NotSupportedException(
                $"case-insensitive \"{text}\" would also match through a multi-character case folding (such as \u00DF for \"ss\")");
        }
    }

    // ---------------------------------------------------------------- emission

    private string Emit(Node node) => node switch
    {
        Literal literal => literal.IgnoreCase
            ? CaseFolding.Close(CodePointSet.Of(literal.CodePoint)).ToRegex(_bmpOnly)
            : string.Concat(char.ConvertFromUtf32(literal.CodePoint).Select(unit => CodePointSet.Escape(unit))),
        CharSet charSet => charSet.Set.ToRegex(_bmpOnly),
        Sequence sequence => string.Concat(sequence.Items.Select(Emit)),
        Alternation alternation => string.Join('|', alternation.Branches.Select(Emit)),
        Group group => GroupOpening(group) + Emit(group.Body) + ")",
        Quantifier quantifier => EmitAtom(quantifier.Body) + QuantifierSuffix(quantifier),
        Anchor anchor => anchor.Pattern,
        WordBoundary boundary => BoundaryPattern(boundary.Negated),
        Backreference backreference => $"\\k<g{backreference.Group}>",
        _ => throw new InvalidOperationException($"unexpected node {node}"),
    };

    /// <summary><paramref name="node"/> as one unit that a quantifier can follow.</summary>
    private string EmitAtom(Node node) =>
        node is Group or CharSet or Backreference or Literal { IgnoreCase: true } || (node is Literal literal && literal.CodePoint <= 0xFFFF)
            ? Emit(node)
            : "(?:" + Emit(node) + ")";

    private string GroupOpening(Group group) => group.Kind switch
    {
        GroupKind.Capture when _referencedGroups.Contains(group.Number) => $"(?<g{group.Number}>",
        GroupKind.Atomic => "(?>",
        GroupKind.LookAhead => "(?=",
        GroupKind.NegativeLookAhead => "(?!",
        GroupKind.LookBehind => "(?<=",
        GroupKind.NegativeLookBehind => "(?<!",
        _ => "(?:",
    };

    private static string QuantifierSuffix(Quantifier quantifier)
    {
        var repeat = (quantifier.Min, quantifier.Max) switch
        {
            (0, Infinite) => "*",
            (1, Infinite) => "+",
            (0, 1) => "?",
            (var min, Infinite) => $"{{{min},}}",
            (var min, var max) when min == max => $"{{{min}}}",
            (var min, var max) => $"{{{min},{max}}}",
        };
        return quantifier.Greedy ? repeat : repeat + "?";
    }

    /// <summary>\b or \B over Oniguruma's word characters, as look-arounds that read whole code points.</summary>
    private string BoundaryPattern(bool negated)
    {
        var word = UnicodeProperties.Word.ToRegex(_bmpOnly);
        return negated
            ? $"(?:(?<={word})(?={word})|(?<!{word})(?!{word}))"
            : $"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))";
    }

    // ---------------------------------------------------------------- helpers

    private int Peek() => _codePoints[_position];

    private int PeekAt(int ahead) => _position + ahead < _codePoints.Length ? _codePoints[_position + ahead] : -1;

    private bool PeekIs(params int[] expected) => expected.Select((c, i) => PeekAt(i) == c).All(match => match);

    private int Next() => _codePoints[_position++];

    private string Text(int from, int to) => string.Concat(_codePoints[from..to].Select(char.ConvertFromUtf32));

    private FormatException Invalid(string problem, int? at = null) =>
        new($"invalid pattern: {problem} at offset {_offsets[Math.Min(at ?? _position, _offsets.Length - 1)]}");

    private NotSupportedException Unsupported(string construct, int at) =>
        new($"{construct} at offset {_offsets[at]} has no exact .NET translation");

    private readonly record struct Options(bool IgnoreCase, bool DotAll, bool Extended);

    private readonly record struct LookBehindContext(bool AnyPositive, bool AnyNegative)
    {
        public bool Any => AnyPositive || AnyNegative;
    }

    private abstract record Node;

    /// <summary>A character of the pattern; with IgnoreCase it matches its case variants.</summary>
    private sealed record Literal(int CodePoint, bool IgnoreCase) : Node;

    /// <summary>Exactly one code point of the set.</summary>
    private sealed record CharSet(CodePointSet Set) : Node;

    private sealed record Sequence(List<Node> Items) : Node;

    private sealed record Alternation(List<Node> Branches) : Node;

    private sealed record Group(GroupKind Kind, Node Body, int Number = 0) : Node;

    private sealed record Quantifier(Node Body, int Min, int Max, bool Greedy) : Node;

    /// <summary>A zero-width assertion, already in .NET syntax.</summary>
    private sealed record Anchor(string Pattern) : Node;

    /// <summary>\b, or \B when negated.</summary>
    private sealed record WordBoundary(bool Negated) : Node;

    /// <summary>An isolated option switch such as (?i); only ever seen by <see cref="ParseBranch"/>.</summary>
    private sealed record OptionSwitch(Options Options) : Node;

    private sealed record Backreference(int? Number, string? Name, bool IgnoreCase, int Offset) : Node
    {
        public int Group { get; set; }
    }
}
