using System.Text.Json;
using Microsoft.ML.Kto.Tests.Models;

namespace Microsoft.ML.Kto.Tests.Generation;

/// <summary>One greedy generation of data/models/&lt;case&gt;/greedy.json, computed by the reference without a KV cache.</summary>
internal sealed record GreedyGolden(int[] Prompt, int[] EosTokenIds, int MaxNewTokens, int[] Generated);

/// <summary>Reads the greedy.json files of the golden models.</summary>
internal static class GreedyGoldens
{
    public static IEnumerable<object[]> Cases => GoldenModels.Cases.Select(c => new object[] { c });

    public static GreedyGolden[] Load(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenModels.Directory(name), "greedy.json")));
        return json.RootElement.GetProperty("entries").EnumerateArray().Select(e => new GreedyGolden(
            Ints(e.GetProperty("prompt")),
            Ints(e.GetProperty("eos_token_ids")),
            e.GetProperty("max_new_tokens").GetInt32(),
            Ints(e.GetProperty("generated")))).ToArray();
    }

    /// <summary>The tokens of <paramref name="generated"/> up to and including the first one in <paramref name="eosTokenIds"/>.</summary>
    public static int[] CutAfterEos(int[] generated, int[] eosTokenIds)
    {
        var end = Array.FindIndex(generated, eosTokenIds.Contains);
        return end < 0 ? generated : generated[..(end + 1)];
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt32()).ToArray();
}
