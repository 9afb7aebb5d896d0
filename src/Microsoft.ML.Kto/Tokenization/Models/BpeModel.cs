using System.Text;
using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization.Models;

/// <summary>
/// Byte-pair-encoding model (HF <c>models::bpe::BPE</c>): a word starts as one symbol per character (or its
/// <c>&lt;0xXX&gt;</c> byte tokens with <c>byte_fallback</c>, or the unknown token) and merges are applied by rank.
/// </summary>
internal sealed partial class BpeModel
{
    // HF caches words shorter than 256 bytes in a cache of 10,000 words; a larger cache costs little
    // memory and keeps long documents with a rich vocabulary on the fast path.
    private const int MaxCachedWordLength = 256;
    private const int CacheCapacity = 100_000;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabBySpan;
    private readonly BpeMerger _merger;
    private readonly BoundedWordCache _cache = new(CacheCapacity);
    private readonly int[]? _byteFallbackIds;
    private readonly int? _unknownId;
    private readonly bool _fuseUnknown;
    private readonly bool _ignoreMerges;
    private readonly string? _continuingSubwordPrefix;
    private readonly string? _endOfWordSuffix;

    private BpeModel(
        Dictionary<string, int> vocab,
        Dictionary<long, (int Rank, int NewId)> merges,
        int? unknownId,
        bool fuseUnknown,
        bool byteFallback,
        bool ignoreMerges,
        string? continuingSubwordPrefix,
        string? endOfWordSuffix)
    {
        _vocab = vocab;
        _vocabBySpan = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _merger = new BpeMerger(merges);
        _unknownId = unknownId;
        _fuseUnknown = fuseUnknown;
        _ignoreMerges = ignoreMerges;
        _continuingSubwordPrefix = continuingSubwordPrefix;
        _endOfWordSuffix = endOfWordSuffix;
        _byteFallbackIds = byteFallback ? BuildByteFallbackIds(vocab) : null;
    }

    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    public static BpeModel FromJson(JsonSection json)
    {
        if (json.TryProperty("dropout", out var dropout) && dropout.GetDouble() != 0)
        {
            throw dropout.Error("BPE dropout is not supported (tokenization would be random); expected null or 0");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in json.Property("vocab").Properties())
        {
            vocab[token] = id.GetTokenId();
        }

        var prefix = NullIfEmpty(json.OptionalString("continuing_subword_prefix"));
        int? unknownId = null;
        if (json.TryProperty("unk_token", out var unkJson))
        {
            unknownId = vocab.TryGetValue(unkJson.GetString(), out var id)
                ? id
                : throw unkJson.Error($"unk_token '{unkJson.GetString()}' is not in the vocabulary");
        }

        return new BpeModel(
            vocab,
            ReadMerges(json.Property("merges"), vocab, prefix),
            unknownId,
            json.OptionalBoolean("fuse_unk", false),
            json.OptionalBoolean("byte_fallback", false),
            json.OptionalBoolean("ignore_merges", false),
            prefix,
            NullIfEmpty(json.OptionalString("end_of_word_suffix")));
    }

    /// <summary>Appends the ids of <paramref name="word"/> to <paramref name="output"/>.</summary>
    public void Tokenize(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (_ignoreMerges && _vocabBySpan.TryGetValue(word, out var wholeWordId))
        {
            output.Add(wholeWordId);
            return;
        }

        var cacheable = word.Length < MaxCachedWordLength;
        if (cacheable && _cache.TryGet(word, out var cached))
        {
            output.AddRange(cached);
            return;
        }

        var ids = _merger.MergeAll(InitialSymbols(word));
        if (cacheable)
        {
            _cache.TryAdd(word, ids);
        }

        output.AddRange(ids);
    }

    private List<int> InitialSymbols(ReadOnlySpan<char> word)
    {
        var symbols = new List<int>(word.Length);
        int? pendingUnknown = null;
        var index = 0;
        while (index < word.Length)
        {
            var width = char.IsHighSurrogate(word[index]) && index + 1 < word.Length ? 2 : 1;
            var symbol = word.Slice(index, width);
            var isFirst = index == 0;
            index += width;
            if (LookUpSymbol(symbol, isFirst, isLast: index == word.Length, out var id, out var affixed))
            {
                if (pendingUnknown is { } unknown)
                {
                    symbols.Add(unknown);
                    pendingUnknown = null;
                }

                symbols.Add(id);
                continue;
            }

            // HF appends byte tokens without flushing a pending unknown token first; kept for parity.
            if (_byteFallbackIds is not null && TryAddBytes(affixed is null ? symbol : affixed.AsSpan(), symbols))
            {
                continue;
            }

            if (_unknownId is { } unk)
            {
                if (pendingUnknown is not null && !_fuseUnknown)
                {
                    symbols.Add(unk);
                }

                pendingUnknown = unk;
            }
        }

        if (pendingUnknown is { } last)
        {
            symbols.Add(last);
        }

        return symbols;
    }

    /// <summary>Looks up one character with the subword prefix/suffix that its position calls for.</summary>
    private bool LookUpSymbol(ReadOnlySpan<char> symbol, bool isFirst, bool isLast, out int id, out string? affixed)
    {
        var needsPrefix = !isFirst && _continuingSubwordPrefix is not null;
        var needsSuffix = isLast && _endOfWordSuffix is not null;
        if (!needsPrefix && !needsSuffix)
        {
            affixed = null;
            return _vocabBySpan.TryGetValue(symbol, out id);
        }

        affixed = string.Concat(needsPrefix ? _continuingSubwordPrefix : "", symbol, needsSuffix ? _endOfWordSuffix : "");
        return _vocab.TryGetValue(affixed, out id);
    }

    private bool TryAddBytes(ReadOnlySpan<char> symbol, List<int> symbols)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(symbol.Length)];
        var count = Encoding.UTF8.GetBytes(symbol, bytes);
        foreach (var b in bytes[..count])
        {
            if (_byteFallbackIds![b] < 0)
            {
                return false;
            }
        }

        foreach (var b in bytes[..count])
        {
            symbols.Add(_byteFallbackIds![b]);
        }

        return true;
    }

    private static int[] BuildByteFallbackIds(Dictionary<string, int> vocab)
    {
        var ids = new int[256];
        for (var b = 0; b < 256; b++)
        {
            ids[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
        }

        return ids;
    }

    private static Dictionary<long, (int Rank, int NewId)> ReadMerges(JsonSection json, Dictionary<string, int> vocab, string? prefix)
    {
        var merges = new Dictionary<long, (int Rank, int NewId)>(json.Element.GetArrayLength());
        var rank = 0;
        foreach (var merge in json.Items())
        {
            var (left, right) = ReadMergePair(merge);
            var merged = left + (prefix is not null && right.StartsWith(prefix, StringComparison.Ordinal) ? right[prefix.Length..] : right);
            // Later duplicates overwrite earlier ones, as in HF.
            merges[BpeMerger.PairKey(IdOf(left), IdOf(right))] = (rank++, IdOf(merged));

            int IdOf(string token) => vocab.TryGetValue(token, out var id)
                ? id
                : throw merge.Error($"merge token '{token}' is not in the vocabulary");
        }

        return merges;
    }

    /// <summary>A merge is either "left right" or ["left", "right"].</summary>
    private static (string Left, string Right) ReadMergePair(JsonSection merge)
    {
        if (merge.Element.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            var text = merge.GetString();
            var space = text.IndexOf(' ');
            return space > 0 && space < text.Length - 1
                ? (text[..space], text[(space + 1)..])
                : throw merge.Error($"expected a merge \"left right\" but found \"{text}\"");
        }

        var parts = merge.Items().Select(p => p.GetString()).ToArray();
        return parts.Length == 2 ? (parts[0], parts[1]) : throw merge.Error("expected a merge pair [\"left\", \"right\"]");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
