using Microsoft.ML.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto.Tests.Api;

/// <summary>Generation through ML.NET's Transform: batching does not change the text, options are checked.</summary>
[TestClass]
public sealed class KtoPredictionTests
{
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 6 };

    public sealed class Question
    {
        [ColumnName("prompt")] public string Prompt { get; set; } = "";
        public int Id { get; set; }
    }

    private static IReadOnlyList<string> Completions(KtoTransformer model, MLContext ml, IEnumerable<Question> rows, int batchSize)
    {
        model.TransformOptions = new KtoTransformOptions { Generation = Greedy, BatchSize = batchSize };
        return model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<string>("generated_completion").ToList();
    }

    [TestMethod]
    public void BatchedTransformEqualsOneRowAtATimeAndConversationsAreAccepted()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 23);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var ml = new MLContext();
        var rows = new[] { "the sky", "a cat sat", "in the morning the", """[{"role":"user","content":"hi"}]""", "on" }
            .Select((p, i) => new Question { Prompt = p, Id = i }).ToList();
        var batched = Completions(model, ml, rows, 3);
        CollectionAssert.AreEqual(Completions(model, ml, rows, 1).ToList(), batched.ToList());
        Assert.AreEqual(model.Generate("the sky", Greedy), batched[0]);
        Assert.AreEqual(model.Generate(new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["role"] = "user", ["content"] = "hi" }), Greedy), batched[3],
            "JSON text of a message list is a conversation");
    }

    [TestMethod]
    public void InvalidTransformOptionsAreNamed()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 23);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new Question { Prompt = "x" } });
        model.TransformOptions = new KtoTransformOptions { BatchSize = 0 };
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => model.Transform(data)).Message, "BatchSize");
        model.TransformOptions = new KtoTransformOptions { PromptColumnName = "question" };
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => model.Transform(data)).Message, "'question'");
    }
}
