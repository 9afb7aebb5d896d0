using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// The <see cref="Tokenizer"/> contract, so the tokenizer can be passed wherever Microsoft.ML.Tokenizers is accepted.
/// Through it, encoding adds the post-processor's special tokens (transformers' default
/// <c>add_special_tokens=True</c>), token offsets index the normalized text (the input itself when the tokenizer has
/// no normalizer), and a limit on the token count never splits a character between tokens.
/// </summary>
public sealed partial class HfTokenizer
{
    /// <inheritdoc/>
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = Input(text, textSpan, settings);
        if (settings.MaxTokenCount == int.MaxValue)
        {
            var ids = new List<int>((input.Length / 3) + 4);
            Encode(input, addSpecialTokens: true, settings.ConsiderNormalization, ids, offsets: null);
            return new EncodeResults<int> { Tokens = ids, NormalizedText = null, CharsConsumed = input.Length };
        }

        var (encoded, offsets) = EncodeWithOffsets(input, settings);
        var kept = KeptFromStart(offsets.Spans, settings.MaxTokenCount);
        return new EncodeResults<int>
        {
            Tokens = encoded.GetRange(0, kept),
            NormalizedText = NormalizedTextOrNull(offsets, settings),
            CharsConsumed = EndOfKept(offsets.Spans, kept),
        };
    }

    /// <inheritdoc/>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var (ids, offsets) = EncodeWithOffsets(Input(text, textSpan, settings), settings);
        var kept = KeptFromStart(offsets.Spans, settings.MaxTokenCount);
        var tokens = new List<EncodedToken>(kept);
        for (var i = 0; i < kept; i++)
        {
            var (start, end) = offsets.Spans[i];
            tokens.Add(new EncodedToken(ids[i], _idToToken[ids[i]]!, new Range(start, end)));
        }

        return new EncodeResults<EncodedToken>
        {
            Tokens = tokens,
            NormalizedText = NormalizedTextOrNull(offsets, settings),
            CharsConsumed = EndOfKept(offsets.Spans, kept),
        };
    }

    /// <inheritdoc/>
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        EncodeToIds(text, textSpan, settings).Tokens.Count;

    /// <inheritdoc/>
    protected override int GetIndexByTokenCount(
        string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd, out string? normalizedText, out int tokenCount)
    {
        var maxTokenCount = settings.MaxTokenCount;
        var (_, offsets) = EncodeWithOffsets(Input(text, textSpan, settings), settings);
        normalizedText = NormalizedTextOrNull(offsets, settings);
        var spans = offsets.Spans;
        if (!fromEnd)
        {
            tokenCount = KeptFromStart(spans, maxTokenCount);
            return EndOfKept(spans, tokenCount);
        }

        var first = Math.Max(0, spans.Count - maxTokenCount);
        while (first > 0 && first < spans.Count && spans[first].Start < spans[first - 1].End)
        {
            first++;
        }

        tokenCount = spans.Count - first;
        return first < spans.Count ? spans[first].Start : offsets.Text.Length;
    }

    /// <summary>Decodes like <see cref="Decode(ReadOnlySpan{int}, bool)"/> with special tokens kept (HF's default).</summary>
    public override string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Decode([.. ids], skipSpecialTokens: false);
    }

    /// <summary>
    /// Decodes the longest prefix of <paramref name="ids"/> whose text fits <paramref name="destination"/>. Decoding is
    /// not incremental (byte-level tokens may end inside a character), so prefixes are decoded whole and the
    /// longest fitting one is found by bisection; a prefix's text never shrinks as ids are added.
    /// </summary>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int[] all = [.. ids];
        var whole = Decode(all, skipSpecialTokens: false);
        if (whole.Length <= destination.Length)
        {
            whole.CopyTo(destination);
            (idsConsumed, charsWritten) = (all.Length, whole.Length);
            return OperationStatus.Done;
        }

        var (fits, text) = (0, "");
        var (low, high) = (1, all.Length - 1);
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var candidate = Decode(all.AsSpan(0, middle), skipSpecialTokens: false);
            if (candidate.Length <= destination.Length)
            {
                (fits, text, low) = (middle, candidate, middle + 1);
            }
            else
            {
                high = middle - 1;
            }
        }

        text.CopyTo(destination);
        (idsConsumed, charsWritten) = (fits, text.Length);
        return OperationStatus.DestinationTooSmall;
    }

    private (List<int> Ids, TokenOffsets Offsets) EncodeWithOffsets(string input, EncodeSettings settings)
    {
        var ids = new List<int>((input.Length / 3) + 4);
        var offsets = new TokenOffsets();
        Encode(input, addSpecialTokens: true, settings.ConsiderNormalization, ids, offsets);
        return (ids, offsets);
    }

    private static string Input(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        if (!settings.ConsiderPreTokenization)
        {
            throw new NotSupportedException(
                "HfTokenizer always applies tokenizer.json's pre-tokenizer, because it does more than split (byte-level " +
                "and Metaspace pre-tokenizers rewrite the text the vocabulary is spelled in); call it with considerPreTokenization: true.");
        }

        if (settings.MaxTokenCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.MaxTokenCount, "The maximum token count must be positive.");
        }

        return text ?? textSpan.ToString();
    }

    /// <summary>The normalized text is reported when normalization ran and could have changed the input.</summary>
    private string? NormalizedTextOrNull(TokenOffsets offsets, EncodeSettings settings) =>
        _normalizer is not null && settings.ConsiderNormalization ? offsets.Text : null;

    /// <summary>
    /// How many of the first <paramref name="maxTokenCount"/> tokens can be kept without cutting a character that
    /// the next token also covers (a byte-level or byte-fallback token can spell part of a character).
    /// </summary>
    private static int KeptFromStart(List<(int Start, int End)> spans, int maxTokenCount)
    {
        var kept = Math.Min(maxTokenCount, spans.Count);
        while (kept > 0 && kept < spans.Count && spans[kept].Start < spans[kept - 1].End)
        {
            kept--;
        }

        return kept;
    }

    private static int EndOfKept(List<(int Start, int End)> spans, int kept) => kept == 0 ? 0 : spans[kept - 1].End;
}
