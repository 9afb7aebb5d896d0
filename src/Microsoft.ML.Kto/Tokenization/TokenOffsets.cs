using System.Text;
using Microsoft.ML.Kto.Tokenization.Models;
using Microsoft.ML.Kto.Tokenization.PreTokenizers;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// Collects, while a text is encoded, the normalized text (added tokens as written, other sections normalized)
/// and each token's character range in it, the coordinates of <see cref="Microsoft.ML.Tokenizers.EncodedToken.Offset"/>.
/// </summary>
internal sealed class TokenOffsets
{
    private readonly StringBuilder _text = new();
    private readonly List<(int Start, int End)> _wordSpans = [];

    public List<(int Start, int End)> Spans { get; } = [];

    public string Text => _text.ToString();

    /// <summary>Post-processor tokens (BOS, EOS) cover no text: an empty range where they stand.</summary>
    public void AddEmpty(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Spans.Add((_text.Length, _text.Length));
        }
    }

    /// <summary>Appends a section of normalized text, optionally as one token covering <paramref name="tokenSpan"/> of it; returns where it starts.</summary>
    public int AddText(string section, (int Start, int End)? tokenSpan)
    {
        var start = _text.Length;
        _text.Append(section);
        if (tokenSpan is var (tokenStart, tokenEnd))
        {
            Spans.Add((start + tokenStart, start + tokenEnd));
        }

        return start;
    }

    public void Add(int start, int end) => Spans.Add((start, end));

    /// <summary>Tokenizes one pre-tokenized word, tracing each token's characters back through the pre-tokenizer's rewrites.</summary>
    public void AddWord(BpeModel model, PreTokenizedText words, TextPiece word, int offset, List<int> ids)
    {
        _wordSpans.Clear();
        model.Tokenize(words[word], ids, _wordSpans);
        foreach (var (start, end) in _wordSpans)
        {
            var (sourceStart, sourceEnd) = end > start
                ? words.SourceOf(word.Start + start, word.Start + end)
                : EmptyAt(words, word, start);
            Spans.Add((offset + sourceStart, offset + sourceEnd));
        }
    }

    private static (int, int) EmptyAt(PreTokenizedText words, TextPiece word, int start)
    {
        var at = Math.Min(word.Start + start, word.End - 1);
        var source = words.SourceOf(at, at + 1).Start;
        return (source, source);
    }
}
