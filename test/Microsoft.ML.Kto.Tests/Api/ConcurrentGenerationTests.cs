using Microsoft.ML.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto.Tests.Api;

/// <summary>
/// One fitted model serving several threads: every generation call owns its key/value cache and sampling generator,
/// so concurrent calls give exactly what the same calls give one after another.
/// </summary>
[TestClass]
public sealed class ConcurrentGenerationTests
{
    private const int Threads = 4;
    private const int GenerationsPerThread = 3;

    private static readonly string[] Prompts = ["the sky", "a cat sat", "in the morning the", "on", "the sea is", "hello there"];

    public sealed class Question
    {
        [ColumnName("prompt")] public string Prompt { get; set; } = "";
    }

    public sealed class Answer
    {
        [ColumnName("generated_completion")] public string GeneratedCompletion { get; set; } = "";
    }

    // Sampled, so a shared generator or cache between threads would change the text; seeded per call for reproducibility.
    private static GenerationOptions Sampling(int call) =>
        new() { MaxNewTokens = 8, DoSample = true, Temperature = 1.3, TopK = 0, Seed = (ulong)(1000 + call) };

    private static string Call(KtoTransformer model, int thread, int generation)
    {
        var call = (thread * GenerationsPerThread) + generation;
        return model.Generate(Prompts[call % Prompts.Length], Sampling(call));
    }

    [TestMethod]
    public void GenerateFromSeveralThreadsEqualsTheSameCallsInSequence()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 31);
        using var model = KtoTransformer.Load(fixtures.Directory);
        var sequential = new string[Threads, GenerationsPerThread];
        for (var t = 0; t < Threads; t++)
        {
            for (var g = 0; g < GenerationsPerThread; g++)
            {
                sequential[t, g] = Call(model, t, g);
            }
        }

        Assert.IsTrue(Enumerable.Range(0, Threads).Select(t => sequential[t, 0]).Distinct().Count() > 1, "the calls must differ for the comparison to mean anything");

        var concurrent = new string[Threads, GenerationsPerThread];
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var g = 0; g < GenerationsPerThread; g++)
            {
                concurrent[t, g] = Call(model, t, g);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        CollectionAssert.AreEqual(sequential, concurrent);
    }

    [TestMethod]
    public void OnePredictionEnginePerThreadEqualsSingleThreadedPredictions()
    {
        using var fixtures = TinyKtoFixtures.Create(seed: 31);
        using var model = KtoTransformer.Load(fixtures.Directory);
        model.TransformOptions = new KtoTransformOptions { Generation = new GenerationOptions { MaxNewTokens = 6 } };
        var ml = new MLContext(seed: 1);
        var expected = Prompts.Select(p => ml.Model.CreatePredictionEngine<Question, Answer>(model).Predict(new Question { Prompt = p }).GeneratedCompletion).ToArray();

        // ML.NET's rule: a PredictionEngine is not thread-safe, so each thread creates its own from the shared model.
        var actual = new string[Threads][];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            var engine = ml.Model.CreatePredictionEngine<Question, Answer>(model);
            actual[t] = Prompts.Select(p => engine.Predict(new Question { Prompt = p }).GeneratedCompletion).ToArray();
        });

        foreach (var perThread in actual)
        {
            CollectionAssert.AreEqual(expected, perThread);
        }
    }
}
