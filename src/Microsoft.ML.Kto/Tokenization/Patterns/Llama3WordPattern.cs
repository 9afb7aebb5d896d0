namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// The Llama-3 / Qwen2 split regex
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,K}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>,
/// where digit runs are cut into groups of at most K (3 for Llama-3, 1 for Qwen, written <c>\p{N}</c>).
/// </summary>
internal sealed class Llama3WordPattern : WordPatternBase
{
    public const string Llama3Source =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const string QwenSource =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly Llama3WordPattern Llama3 = new(maxDigits: 3);

    public static readonly Llama3WordPattern Qwen = new(maxDigits: 1);

    private readonly int _maxDigits;

    private Llama3WordPattern(int maxDigits) => _maxDigits = maxDigits;

    protected override int MatchAt(ReadOnlySpan<char> text, int index)
    {
        var contraction = MatchContraction(text, index, ignoreCase: true);
        if (contraction > 0)
        {
            return index + contraction;
        }

        var c = text[index];
        var kind = CharClass.At(text, index, out var width);
        var next = index + width;
        switch (kind)
        {
            case CharKind.Letter:
                return CharClass.SkipRun(text, next, CharKind.Letter);
            case CharKind.Number:
                for (var digits = 1; digits < _maxDigits && next < text.Length && CharClass.At(text, next, out var w) == CharKind.Number; digits++)
                {
                    next += w;
                }

                return next;
        }

        // [^\r\n\p{L}\p{N}]? prefix (any whitespace but CR/LF, or punctuation) glued to a following word.
        if (c is not '\r' and not '\n' && next < text.Length && CharClass.At(text, next, out _) == CharKind.Letter)
        {
            return CharClass.SkipRun(text, next, CharKind.Letter);
        }

        var punctuationStart = kind == CharKind.Other ? index
            : c == ' ' && next < text.Length && CharClass.At(text, next, out _) == CharKind.Other ? next
            : -1;
        if (punctuationStart >= 0)
        {
            var end = CharClass.SkipRun(text, punctuationStart, CharKind.Other);
            while (end < text.Length && text[end] is '\r' or '\n')
            {
                end++;
            }

            return end;
        }

        // Whitespace: \s*[\r\n]+ ends after the run's last line break; otherwise \s+(?!\S)|\s+.
        var runEnd = CharClass.SkipRun(text, next, CharKind.Whitespace);
        var lastBreak = text[index..runEnd].LastIndexOfAny('\r', '\n');
        return lastBreak >= 0 ? index + lastBreak + 1 : MatchWhitespace(text, index, runEnd);
    }
}
