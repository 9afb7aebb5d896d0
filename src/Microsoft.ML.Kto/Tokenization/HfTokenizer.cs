using System.Text.Json;
using Microsoft.ML.Kto.Tokenization.Decoders;
using Microsoft.ML.Kto.Tokenization.Json;
using Microsoft.ML.Kto.Tokenization.Models;
using Microsoft.ML.Kto.Tokenization.Normalizers;
using Microsoft.ML.Kto.Tokenization.PostProcessors;
using Microsoft.ML.Kto.Tokenization.PreTokenizers;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// A Hugging Face tokenizer loaded from <c>tokenizer.json</c> (+ <c>tokenizer_config.json</c>), producing the same
/// ids as the Rust <c>tokenizers</c> library behind transformers' fast tokenizers. It is a
/// <see cref="Microsoft.ML.Tokenizers.Tokenizer"/> (see HfTokenizer.TokenizerApi.cs for that contract). Thread-safe.
/// </summary>
public sealed partial class HfTokenizer : Microsoft.ML.Tokenizers.Tokenizer
{
    /// <summary>The Hugging Face tokenizer file name.</summary>
    public const string TokenizerFileName = "tokenizer.json";
    /// <summary>The optional chat template file that takes precedence over tokenizer_config.json's.</summary>
    public const string ChatTemplateFileName = "chat_template.jinja";

    private readonly INormalizer? _normalizer;
    private readonly IPreTokenizer? _preTokenizer;
    private readonly BpeModel _model;
    private readonly SpecialTokenTemplate _template;
    private readonly IDecoder? _decoder;
    private readonly AddedVocabulary _addedVocabulary;
    private readonly string?[] _idToToken;
    private readonly Dictionary<string, int> _addedTokenIds;
    private readonly HashSet<int> _specialTokenIds;

    private HfTokenizer(
        INormalizer? normalizer,
        IPreTokenizer? preTokenizer,
        BpeModel model,
        SpecialTokenTemplate tokenizerJsonTemplate,
        IDecoder? decoder,
        IReadOnlyList<AddedToken> addedTokens,
        TokenizerConfig config)
    {
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _model = model;
        _decoder = decoder;
        _addedVocabulary = new AddedVocabulary(addedTokens, normalizer);
        _addedTokenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in addedTokens)
        {
            _addedTokenIds.TryAdd(token.Content, token.Id);
        }

        var maxId = Math.Max(model.Vocab.Count == 0 ? -1 : model.Vocab.Values.Max(), addedTokens.Count == 0 ? -1 : addedTokens.Max(t => t.Id));
        _idToToken = new string?[maxId + 1];
        foreach (var (token, id) in model.Vocab)
        {
            _idToToken[id] = token;
        }

        foreach (var token in addedTokens)
        {
            _idToToken[token.Id] = token.Content;
        }

        VocabSize = model.Vocab.Keys.Concat(_addedTokenIds.Keys).Distinct(StringComparer.Ordinal).Count();
        BosToken = config.BosToken;
        EosToken = config.EosToken;
        PadToken = config.PadToken;
        BosTokenId = RequireKnown(config.BosToken, "bos_token");
        EosTokenId = RequireKnown(config.EosToken, "eos_token");
        PadTokenId = RequireKnown(config.PadToken, "pad_token");
        _specialTokenIds = addedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        (string? Content, string Property)[] configuredSpecialTokens =
        [
            (config.BosToken, "bos_token"), (config.EosToken, "eos_token"), (config.PadToken, "pad_token"), (config.UnkToken, "unk_token"),
            .. config.AdditionalSpecialTokens.Select(t => ((string?)t, "additional_special_tokens")),
        ];
        foreach (var (content, property) in configuredSpecialTokens)
        {
            if (RequireKnown(content, property) is { } id)
            {
                _specialTokenIds.Add(id);
            }
        }

        // A flag the config leaves out keeps tokenizer.json's side of the template, as transformers' Llama/Gemma
        // fast tokenizers default add_bos_token to true and add_eos_token to false when rebuilding it.
        _template = new SpecialTokenTemplate(
            config.AddBosToken switch
            {
                null => tokenizerJsonTemplate.Prefix,
                true => [BosTokenId ?? throw TokenizerConfig.Error("add_bos_token", "add_bos_token is true but there is no bos_token")],
                false => [],
            },
            config.AddEosToken switch
            {
                null => tokenizerJsonTemplate.Suffix,
                true => [EosTokenId ?? throw TokenizerConfig.Error("add_eos_token", "add_eos_token is true but there is no eos_token")],
                false => [],
            });
        ChatTemplates = config.ChatTemplates;
    }

    /// <summary>Number of distinct tokens, added tokens included (like <c>len(tokenizer)</c> in transformers).</summary>
    public int VocabSize { get; }

    /// <summary>The beginning-of-sequence token text, if the tokenizer has one.</summary>
    public string? BosToken { get; }

    /// <summary>The end-of-sequence token text (appended to plain-text completions).</summary>
    public string? EosToken { get; }

    /// <summary>The padding token text, if any.</summary>
    public string? PadToken { get; }

    /// <summary>Id of <see cref="BosToken"/>.</summary>
    public int? BosTokenId { get; }

    /// <summary>Id of <see cref="EosToken"/>.</summary>
    public int? EosTokenId { get; }

    /// <summary>Id of <see cref="PadToken"/>.</summary>
    public int? PadTokenId { get; }

    /// <summary>
    /// The id training batches are padded with: <see cref="PadTokenId"/>, else <see cref="EosTokenId"/> (as TRL falls
    /// back). Throws when the tokenizer has neither.
    /// </summary>
    public int GetPaddingTokenId() => PadTokenId ?? EosTokenId
        ?? throw new InvalidOperationException("The tokenizer has neither pad_token nor eos_token; set one in tokenizer_config.json.");

    /// <summary>Ids that <see cref="Decode(ReadOnlySpan{int}, bool)"/> drops when asked to skip special tokens.</summary>
    public IReadOnlySet<int> SpecialTokenIds => _specialTokenIds;

    /// <summary>Ids added before the text when special tokens are requested (e.g. BOS).</summary>
    public IReadOnlyList<int> PrefixTokenIds => _template.Prefix;

    /// <summary>Ids added after the text when special tokens are requested (e.g. EOS).</summary>
    public IReadOnlyList<int> SuffixTokenIds => _template.Suffix;

    /// <summary>The default chat template source, or null when the tokenizer has none.</summary>
    public string? ChatTemplate => ChatTemplates.GetValueOrDefault(TokenizerConfig.DefaultTemplateName);

    /// <summary>All chat templates by name; the default one is named "default".</summary>
    public IReadOnlyDictionary<string, string> ChatTemplates { get; }

    /// <summary>
    /// Loads <c>tokenizer.json</c> from <paramref name="directory"/>, plus <c>tokenizer_config.json</c> and
    /// <c>chat_template.jinja</c> when present.
    /// </summary>
    public static HfTokenizer FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Tokenizer directory not found: {directory}");
        }

        var tokenizerPath = Path.Combine(directory, TokenizerFileName);
        if (!File.Exists(tokenizerPath))
        {
            throw new FileNotFoundException($"{TokenizerFileName} not found in {directory}", tokenizerPath);
        }

        return FromJson(
            File.ReadAllText(tokenizerPath),
            ReadIfExists(Path.Combine(directory, TokenizerConfig.FileName)),
            ReadIfExists(Path.Combine(directory, ChatTemplateFileName)));
    }

    /// <summary>Builds a tokenizer from the contents of its files.</summary>
    public static HfTokenizer FromJson(string tokenizerJson, string? tokenizerConfigJson = null, string? chatTemplateJinja = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        var config = TokenizerConfig.Parse(tokenizerConfigJson, chatTemplateJinja);
        using var document = JsonParsing.Parse(tokenizerJson, TokenizerFileName);
        var root = new JsonSection(document.RootElement, TokenizerFileName, "$");
        if (root.Element.ValueKind != JsonValueKind.Object)
        {
            throw root.Error("expected a JSON object");
        }

        var normalizer = root.TryProperty("normalizer", out var normalizerJson) ? NormalizerFactory.Create(normalizerJson) : null;
        return new HfTokenizer(
            normalizer,
            root.TryProperty("pre_tokenizer", out var preTokenizerJson) ? PreTokenizerFactory.Create(preTokenizerJson) : null,
            ModelFactory.Create(root.Property("model")),
            root.TryProperty("post_processor", out var postProcessorJson) ? PostProcessorFactory.Create(postProcessorJson) : SpecialTokenTemplate.Empty,
            root.TryProperty("decoder", out var decoderJson) ? DecoderFactory.Create(decoderJson) : null,
            root.TryProperty("added_tokens", out var addedJson) ? addedJson.Items().Select(ReadAddedToken).ToArray() : [],
            config);
    }

    /// <summary>Token ids of <paramref name="text"/>, with the special tokens the post-processor adds when <paramref name="addSpecialTokens"/>.</summary>
    /// <remarks>
    /// Unlike <see cref="Microsoft.ML.Tokenizers.Tokenizer.EncodeToIds(string, bool, bool)"/>, whose boolean arguments
    /// switch off pre-tokenization and normalization, the boolean here is transformers' <c>add_special_tokens</c>.
    /// </remarks>
    public int[] EncodeToIds(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>((text.Length / 3) + 4);
        Encode(text, addSpecialTokens, normalize: true, ids, offsets: null);
        return [.. ids];
    }

    /// <summary>Token strings of <paramref name="text"/>.</summary>
    public string[] EncodeToTokens(string text, bool addSpecialTokens = true) =>
        EncodeToIds(text, addSpecialTokens).Select(id => _idToToken[id]!).ToArray();

    /// <summary>
    /// Decodes ids to text like HF's <c>Tokenizer::decode</c>: ids outside the vocabulary are ignored, and
    /// transformers' optional <c>clean_up_tokenization_spaces</c> post-edit is not applied.
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var tokens = new List<string>(ids.Length);
        foreach (var id in ids)
        {
            if (IdToToken(id) is { } token && !(skipSpecialTokens && _specialTokenIds.Contains(id)))
            {
                tokens.Add(token);
            }
        }

        return _decoder is null ? string.Join(' ', tokens) : string.Concat(_decoder.DecodeChain(tokens));
    }

    /// <summary>The token string of an id, or null outside the vocabulary.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>The id of a token string, or null when it is not in the vocabulary.</summary>
    public int? TokenToId(string token) =>
        _addedTokenIds.TryGetValue(token, out var added) ? added
        : _model.Vocab.TryGetValue(token, out var id) ? id
        : null;

    /// <summary>
    /// Appends the ids of <paramref name="text"/> to <paramref name="ids"/>; with <paramref name="offsets"/>, also
    /// the normalized text and each token's range in it.
    /// </summary>
    private void Encode(string text, bool addSpecialTokens, bool normalize, List<int> ids, TokenOffsets? offsets)
    {
        if (addSpecialTokens)
        {
            ids.AddRange(_template.Prefix);
            offsets?.AddEmpty(_template.Prefix.Length);
        }

        EncodeText(Utf16Text.ReplaceLoneSurrogates(text), normalize, ids, offsets);
        if (addSpecialTokens)
        {
            ids.AddRange(_template.Suffix);
            offsets?.AddEmpty(_template.Suffix.Length);
        }
    }

    private void EncodeText(string text, bool normalize, List<int> ids, TokenOffsets? offsets)
    {
        var rawSplits = new List<AddedTokenSplit>();
        var normalizedSplits = new List<AddedTokenSplit>();
        _addedVocabulary.RawMatcher.Split(text, rawSplits);
        foreach (var raw in rawSplits)
        {
            var section = text.Substring(raw.Start, raw.End - raw.Start);
            if (raw.Token is not null)
            {
                ids.Add(raw.Token.Id);
                offsets?.AddText(section, tokenSpan: (0, section.Length));
                continue;
            }

            var normalized = normalize ? _normalizer?.Normalize(section) ?? section : section;
            var sectionStart = offsets?.AddText(normalized, tokenSpan: null) ?? 0;
            normalizedSplits.Clear();
            _addedVocabulary.NormalizedMatcher.Split(normalized, normalizedSplits);
            foreach (var piece in normalizedSplits)
            {
                if (piece.Token is not null)
                {
                    ids.Add(piece.Token.Id);
                    offsets?.Add(sectionStart + piece.Start, sectionStart + piece.End);
                    continue;
                }

                var words = new PreTokenizedText(
                    normalized.Substring(piece.Start, piece.End - piece.Start), raw.Start == 0 && piece.Start == 0, trackOffsets: offsets is not null);
                _preTokenizer?.PreTokenize(words);
                foreach (var word in words.Pieces)
                {
                    if (offsets is null)
                    {
                        _model.Tokenize(words[word], ids);
                    }
                    else
                    {
                        offsets.AddWord(_model, words, word, sectionStart + piece.Start, ids);
                    }
                }
            }
        }
    }

    private int? RequireKnown(string? token, string property) =>
        token is null ? null : TokenToId(token) ?? throw TokenizerConfig.Error(property, $"'{token}' is not in the vocabulary");

    private static AddedToken ReadAddedToken(JsonSection json)
    {
        var special = json.OptionalBoolean("special", false);
        return new AddedToken(
            json.Property("id").GetTokenId(),
            json.RequiredString("content"),
            special,
            json.OptionalBoolean("single_word", false),
            json.OptionalBoolean("lstrip", false),
            json.OptionalBoolean("rstrip", false),
            json.OptionalBoolean("normalized", !special));
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
