namespace Microsoft.ML.Kto.Tokenization.Models;

/// <summary>Which characters of the word each token covers, for token offsets.</summary>
internal sealed partial class BpeModel
{
    private string?[]? _tokensById;
    private int[]? _bytesById;

    /// <summary>
    /// Appends the ids of <paramref name="word"/> to <paramref name="output"/> and, per id, the range of word
    /// characters it covers to <paramref name="spans"/>. Merged tokens spell the word back (less the subword
    /// prefix and end-of-word suffix); byte-fallback tokens each cover the whole character whose UTF-8 bytes they
    /// spell, as HF reports them; an unknown token covers the characters up to where the next token's text resumes.
    /// </summary>
    public void Tokenize(ReadOnlySpan<char> word, List<int> output, List<(int Start, int End)> spans)
    {
        var first = output.Count;
        Tokenize(word, output);
        var tokens = _tokensById ??= BuildTokensById();
        var byteOf = _bytesById ??= BuildBytesById(tokens.Length);
        var cursor = 0;
        var pendingBytes = 0;
        for (var i = first; i < output.Count; i++)
        {
            var id = output[i];
            var width = cursor < word.Length && char.IsHighSurrogate(word[cursor]) && cursor + 1 < word.Length ? 2 : 1;
            if (byteOf[id] >= 0)
            {
                pendingBytes = pendingBytes > 0 ? pendingBytes : Utf8Length(word, cursor, width);
                spans.Add(Clamp(cursor, cursor + width, word.Length));
                if (--pendingBytes == 0)
                {
                    cursor += width;
                }

                continue;
            }

            var end = id == _unknownId ? UnknownEnd(word, cursor, output, i + 1, tokens) : cursor + SpelledLength(tokens[id]!, cursor, word.Length);
            spans.Add(Clamp(cursor, end, word.Length));
            cursor = Math.Min(end, word.Length);
        }
    }

    /// <summary>Length of the word text a vocabulary token spells at <paramref name="cursor"/>, without its affixes.</summary>
    private int SpelledLength(string token, int cursor, int wordLength)
    {
        var length = token.Length;
        if (cursor > 0 && _continuingSubwordPrefix is not null && token.StartsWith(_continuingSubwordPrefix, StringComparison.Ordinal))
        {
            length -= _continuingSubwordPrefix.Length;
        }

        if (_endOfWordSuffix is not null && cursor + length - _endOfWordSuffix.Length == wordLength && token.EndsWith(_endOfWordSuffix, StringComparison.Ordinal))
        {
            length -= _endOfWordSuffix.Length;
        }

        return length;
    }

    private int UnknownEnd(ReadOnlySpan<char> word, int cursor, List<int> ids, int next, string?[] tokens)
    {
        for (; next < ids.Count; next++)
        {
            if (ids[next] != _unknownId && _bytesById![ids[next]] < 0)
            {
                var found = word[(cursor + 1)..].IndexOf(tokens[ids[next]].AsSpan(), StringComparison.Ordinal);
                return found < 0 ? word.Length : cursor + 1 + found;
            }
        }

        return word.Length;
    }

    private static int Utf8Length(ReadOnlySpan<char> word, int cursor, int width) =>
        cursor >= word.Length ? 1 : System.Text.Encoding.UTF8.GetByteCount(word.Slice(cursor, width));

    private static (int Start, int End) Clamp(int start, int end, int length) => (Math.Min(start, length), Math.Min(Math.Max(end, start), length));

    private string?[] BuildTokensById()
    {
        var tokens = new string?[_vocab.Count == 0 ? 0 : _vocab.Values.Max() + 1];
        foreach (var (token, id) in _vocab)
        {
            tokens[id] = token;
        }

        return tokens;
    }

    private int[] BuildBytesById(int count)
    {
        var bytes = new int[count];
        Array.Fill(bytes, -1);
        if (_byteFallbackIds is not null)
        {
            for (var b = 0; b < _byteFallbackIds.Length; b++)
            {
                if (_byteFallbackIds[b] >= 0)
                {
                    bytes[_byteFallbackIds[b]] = b;
                }
            }
        }

        return bytes;
    }
}
