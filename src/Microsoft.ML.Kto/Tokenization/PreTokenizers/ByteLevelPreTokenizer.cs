using System.Text;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>
/// GPT-2's byte-level pre-tokenizer: optionally prefixes a space, optionally splits with the GPT-2 regex,
/// then spells every piece as its UTF-8 bytes in the <see cref="ByteLevelAlphabet"/>.
/// </summary>
internal sealed class ByteLevelPreTokenizer : IPreTokenizer
{
    private const int StackallocByteLimit = 1024;

    private static readonly PieceSplitter SplitWords =
        (piece, output) => PatternSplitter.Split(piece, Gpt2WordPattern.Instance, SplitDelimiterBehavior.Isolated, invert: false, output);

    private readonly bool addPrefixSpace;
    private readonly bool useRegex;

    public ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
    {
        this.addPrefixSpace = addPrefixSpace;
        this.useRegex = useRegex;
    }

    public void PreTokenize(PreTokenizedText text)
    {
        if (addPrefixSpace)
        {
            text.Rewrite(PrependSpace);
        }

        if (useRegex)
        {
            text.Split(SplitWords);
        }

        text.Rewrite(EncodeBytes);
    }

    private static void PrependSpace(ReadOnlySpan<char> piece, bool atOriginalStart, PieceWriter writer)
    {
        if (piece[0] != ' ')
        {
            writer.Append(' ');
        }

        writer.Append(piece);
    }

    private static void EncodeBytes(ReadOnlySpan<char> piece, bool atOriginalStart, PieceWriter writer)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
        var bytes = maxBytes <= StackallocByteLimit ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var count = Encoding.UTF8.GetBytes(piece, bytes);
        var chars = writer.AppendSpan(count);
        for (var i = 0; i < count; i++)
        {
            chars[i] = ByteLevelAlphabet.Encode(bytes[i]);
        }
    }
}
