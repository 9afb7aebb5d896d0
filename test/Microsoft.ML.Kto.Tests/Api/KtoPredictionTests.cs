using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto.Tests.Api;

[TestClass]
public sealed class KtoPredictionTests
{
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 6 };

    public sealed class Question
    {
        public string Prompt { get; set; } = "";
        public int Id { get; set; }
    }

    public sealed class Answer
    {
        public int Id { get; set; }
        public string GeneratedCompletion { get; set; } = "";
    }

    public sealed class CustomIn
    {
        [KtoColumn("prompt")] public string Text { get; set; } = "";
    }

    public sealed class CustomOut
    {
        [KtoColumn("generated_completion")] public string Reply { get; set; } = "";
    }

    [TestMethod]
    public void TransformAddsTheGeneratedColumnAndKeepsTheRows()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 21);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var rows = new[]
        {
            new JsonObject { ["prompt"] = "the sky", ["completion"] = " blue", ["label"] = true },
            new JsonObject { ["prompt"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) },
        };
        var output = model.Transform(rows, new KtoTransformOptions { Generation = Greedy, BatchSize = 1 });

        Assert.AreEqual(model.Generate("the sky", Greedy), output[0]["generated_completion"]!.GetValue<string>());
        Assert.AreEqual(model.Generate(new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }), Greedy), output[1]["generated_completion"]!.GetValue<string>());
        Assert.AreEqual(" blue", output[0]["completion"]!.GetValue<string>(), "existing columns are kept");
        Assert.IsNull(rows[0]["generated_completion"], "the input rows are not modified");
    }

    [TestMethod]
    public void BatchedTransformEqualsOneRowAtATime()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 22);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var rows = new[] { "a", "the longest prompt of them all", "on a hill" }.Select(p => new JsonObject { ["prompt"] = p }).ToList();
        var batched = model.Transform(rows, new KtoTransformOptions { Generation = Greedy, BatchSize = 3 });
        var single = model.Transform(rows, new KtoTransformOptions { Generation = Greedy, BatchSize = 1 });
        CollectionAssert.AreEqual(single.Select(r => r["generated_completion"]!.ToString()).ToArray(), batched.Select(r => r["generated_completion"]!.ToString()).ToArray());
    }

    [TestMethod]
    public void PredictionEngineMapsByConventionAndCopiesSharedColumns()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 23);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var engine = model.CreatePredictionEngine<Question, Answer>(new KtoTransformOptions { Generation = Greedy });
        var answer = engine.Predict(new Question { Prompt = "the sky", Id = 42 });
        Assert.AreEqual(42, answer.Id);
        Assert.AreEqual(model.Generate("the sky", Greedy), answer.GeneratedCompletion);
        var typed = model.Transform<Question, Answer>([new Question { Prompt = "the sky", Id = 1 }, new Question { Prompt = "a cat", Id = 2 }],
            new KtoTransformOptions { Generation = Greedy });
        Assert.AreEqual(answer.GeneratedCompletion, typed[0].GeneratedCompletion);
        Assert.AreEqual(2, typed[1].Id);
    }

    [TestMethod]
    public void PredictionEngineMapsByAttribute()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 24);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var engine = model.CreatePredictionEngine<CustomIn, CustomOut>(new KtoTransformOptions { Generation = Greedy, ApplyChatTemplateToText = false });
        Assert.AreEqual(model.Generate("the sky", Greedy, applyChatTemplate: false), engine.Predict(new CustomIn { Text = "the sky" }).Reply);
    }

    [TestMethod]
    public void MissingColumnsAreNamed()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 25);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var noPrompt = Assert.ThrowsException<ArgumentException>(() => model.CreatePredictionEngine<Answer, Answer>());
        StringAssert.Contains(noPrompt.Message, "prompt column 'prompt'");
        var noOutput = Assert.ThrowsException<ArgumentException>(() => model.CreatePredictionEngine<Question, Question>());
        StringAssert.Contains(noOutput.Message, "output column 'generated_completion'");
        var missingJson = Assert.ThrowsException<KtoDataException>(() => model.Transform([new JsonObject { ["question"] = "x" }]));
        StringAssert.Contains(missingJson.Message, "Row 1 has no 'prompt' column");
        var wrongKind = Assert.ThrowsException<KtoDataException>(() => model.Transform([new JsonObject { ["prompt"] = 3 }]));
        StringAssert.Contains(wrongKind.Message, "must be a string or a list of chat messages");
        Assert.ThrowsException<ArgumentException>(() => model.Transform([new JsonObject { ["prompt"] = "x" }], new KtoTransformOptions { BatchSize = 0 }));
    }
}
