using System.Text;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>
/// GPT-2's byte-level pre-tokenizer: optionally prefixes a space, optionally splits with the GPT-2 regex,
/// then spells every piece as its UTF-8 bytes in the <see cref="ByteLevelAlphabet"/>.
/// </summary>
internal sealed class ByteLevelPreTokenizer : IPreTokenizer
{
    private static readonly PieceSplitter SplitWords =
        (piece, output) => PatternSplitter.Split(piece, Gpt2WordPattern.Instance, SplitDelimiterBehavior.Isolated, invert: false, output);

    private readonly bool _addPrefixSpace;
    private readonly bool _useRegex;

    public ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
    {
        _addPrefixSpace = addPrefixSpace;
        _useRegex = useRegex;
    }

    public void PreTokenize(PreTokenizedText text)
    {
        if (_addPrefixSpace)
        {
            text.Rewrite(PrependSpace);
        }

        if (_useRegex)
        {
            text.Split(SplitWords);
        }

        text.Rewrite(EncodeBytes);
    }

    private static void PrependSpace(ReadOnlySpan<char> piece, bool atOriginalStart, PieceWriter writer)
    {
        if (piece[0] != ' ')
        {
            writer.Append(' ', source: 0);
        }

        writer.Append(piece, source: 0, sourceLength: piece.Length);
    }

    /// <summary>Spells each code point as its UTF-8 bytes; every byte stands for the whole code point (as HF's offsets do).</summary>
    private static void EncodeBytes(ReadOnlySpan<char> piece, bool atOriginalStart, PieceWriter writer)
    {
        Span<byte> bytes = stackalloc byte[4];
        var index = 0;
        while (index < piece.Length)
        {
            var c = piece[index];
            if (c < 0x80)
            {
                writer.Append(ByteLevelAlphabet.Encode((byte)c), index++);
                continue;
            }

            // Lone surrogates were replaced before pre-tokenization, so every code point decodes.
            Rune.DecodeFromUtf16(piece[index..], out var rune, out var width);
            var count = rune.EncodeToUtf8(bytes);
            var chars = writer.AppendSpan(count, index, width);
            for (var i = 0; i < count; i++)
            {
                chars[i] = ByteLevelAlphabet.Encode(bytes[i]);
            }

            index += width;
        }
    }
}
