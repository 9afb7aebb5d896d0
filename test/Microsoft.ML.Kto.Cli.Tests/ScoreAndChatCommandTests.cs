using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Tests;
using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Cli.Tests;

[TestClass]
public sealed class ScoreCommandTests
{
    [TestMethod]
    public void ScoresEveryPreparedRowInDatasetOrderWithRewardsAgainstAReference()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 41);
        var data = Path.Combine(fixtures.Directory, "pairs.jsonl");
        File.WriteAllLines(data, [
            """{"prompt": "the sky is", "chosen": " blue", "rejected": " green"}""",
            """{"prompt": "on the hill", "chosen": " a tree", "rejected": " a sea"}""",
        ]);
        var result = KtoProcess.Run("", "score", "--model", fixtures.Directory, "--dataset", data, "--ref-model", fixtures.Directory, "--beta", "0.5");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.AreEqual(4, lines.Count, "a pair is two prepared rows");
        CollectionAssert.AreEqual(new[] { 1, 1, 2, 2 }, lines.Select(l => l["row"]!.GetValue<int>()).ToArray());
        CollectionAssert.AreEqual(new[] { true, false, true, false }, lines.Select(l => l["label"]!.GetValue<bool>()).ToArray());

        // The first row by hand: " blue" plus EOS scored after "the sky is".
        var (examples, _) = new Data.Preparation.KtoDatasetPreparer(fixtures.Encoder(), null)
            .Prepare([new KtoRow(KtoContent.FromText("the sky is"), KtoContent.FromText(" blue"), label: true, sourceRow: 1)]);
        using var model = fixtures.LoadModel();
        var expected = TeacherForced(model, examples[0].PromptIds, examples[0].CompletionIds);
        Assert.AreEqual(expected, lines[0]["logps"]!.GetValue<double>(), 1e-4);
        Assert.AreEqual(examples[0].CompletionIds.Length, lines[0]["num_completion_tokens"]!.GetValue<int>());
        foreach (var line in lines)
        {
            Assert.AreEqual(line["logps"]!.GetValue<double>(), line["ref_logps"]!.GetValue<double>(), 1e-9, "same model as reference");
            Assert.AreEqual(0.0, line["reward"]!.GetValue<double>(), 1e-9);
        }
    }

    [TestMethod]
    public void WithoutAReferenceThereIsNoReward()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 42);
        var data = Path.Combine(fixtures.Directory, "rows.jsonl");
        File.WriteAllLines(data, ["""{"prompt": "a", "completion": " b", "label": false}"""]);
        var result = KtoProcess.Run("", "score", "--model", fixtures.Directory, "--dataset", data);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var line = JsonNode.Parse(result.Stdout)!.AsObject();
        Assert.IsTrue(line["logps"]!.GetValue<double>() < 0);
        Assert.IsNull(line["reward"]);
        Assert.IsNull(line["ref_logps"]);
    }

    [TestMethod]
    public void MalformedJsonlIsOneLineNamingTheLine()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 43);
        var data = Path.Combine(fixtures.Directory, "bad.jsonl");
        File.WriteAllLines(data, ["""{"prompt": "a", "completion": " b", "label": true}""", "{not json"]);
        var result = KtoProcess.Run("", "score", "--model", fixtures.Directory, "--dataset", data);
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.StartsWith(result.Stderr, "kto: error:");
        StringAssert.Contains(result.Stderr, "2");
        Assert.AreEqual(1, result.Stderr.Trim().Split('\n').Length, "one line, no stack trace");
    }

    // Sum over completion tokens of log softmax(logits)[token], from the full logits.
    private static double TeacherForced(ICausalLM model, int[] prompt, int[] completion)
    {
        var ids = prompt.Concat(completion).ToArray();
        using var scope = TorchSharp.torch.NewDisposeScope();
        var logits = model.Logits(TorchSharp.torch.tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length])).log_softmax(-1)
            .to(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
        var vocab = logits.Length / ids.Length;
        double sum = 0;
        for (var t = prompt.Length; t < ids.Length; t++)
        {
            sum += logits[(t - 1) * vocab + ids[t]];
        }

        return sum;
    }
}

[TestClass]
public sealed class ChatCommandTests
{
    [TestMethod]
    public void StreamsTheRepliesTheLibraryGeneratesAndHandlesClear()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 44);
        var greedy = new GenerationOptions { MaxNewTokens = 5 };
        string first, afterClear;
        using (var model = KtoTransformer.Load(fixtures.Directory))
        {
            first = model.Generate(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }), greedy);
            afterClear = model.Generate(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "again" }), greedy);
        }
        var result = KtoProcess.Run("hello\nclear\nagain\nexit\n", "chat", "--model", fixtures.Directory, "--max-new-tokens", "5");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "> " + first + "\n");
        StringAssert.Contains(result.Stdout, "(conversation cleared)");
        StringAssert.Contains(result.Stdout, "> " + afterClear + "\n", "after clear the history is gone");
    }

    [TestMethod]
    public void AModelWithoutAChatTemplateIsRefused()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 45);
        ByteLevelTokenizerFiles.Write(fixtures.Directory, TinyKtoFixtures.Merges, [TinyKtoFixtures.EndOfText], TinyKtoFixtures.EndOfText);
        var result = KtoProcess.Run("hi\n", "chat", "--model", fixtures.Directory);
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "has no chat template");
    }
}
