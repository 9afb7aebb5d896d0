namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>
/// GPT-2's split regex, also used by the ByteLevel pre-tokenizer:
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>.
/// </summary>
internal sealed class Gpt2WordPattern : WordPatternBase
{
    public const string Source = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static readonly Gpt2WordPattern Instance = new();

    protected override int MatchAt(ReadOnlySpan<char> text, int index)
    {
        var contraction = MatchContraction(text, index, ignoreCase: false);
        if (contraction > 0)
        {
            return index + contraction;
        }

        var kind = CharClass.At(text, index, out var width);
        var wordStart = index;
        if (text[index] == ' ' && index + 1 < text.Length)
        {
            var next = CharClass.At(text, index + 1, out _);
            if (next != CharKind.Whitespace)
            {
                kind = next;
                wordStart = index + 1;
            }
        }

        return kind == CharKind.Whitespace
            ? MatchWhitespace(text, index, CharClass.SkipRun(text, index + width, CharKind.Whitespace))
            : CharClass.SkipRun(text, wordStart, kind);
    }
}
