using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto.Tests.Api;

/// <summary>KTO as an ML.NET estimator: pipelines over IDataView, lazy Transform, PredictionEngine, schema errors.</summary>
[TestClass]
public sealed class MLNetPipelineTests
{
    private static TinyKtoFixtures Fixture = null!;
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 5 };

    [ClassInitialize]
    public static void CreateFixture(TestContext _) => Fixture = TinyKtoFixtures.Create(seed: 17);

    [ClassCleanup]
    public static void DeleteFixture() => Fixture.Dispose();

    public sealed class Feedback
    {
        public string Question { get; set; } = "";
        [ColumnName("completion")] public string Completion { get; set; } = "";
        [ColumnName("label")] public bool Label { get; set; }
    }

    public sealed class Question
    {
        [ColumnName("prompt")] public string Prompt { get; set; } = "";
        public int Id { get; set; }
    }

    public sealed class Answer
    {
        public int Id { get; set; }
        [ColumnName("generated_completion")]
        public string GeneratedCompletion { get; set; } = "";
    }

    private static IEnumerable<Feedback> FeedbackRows(int count) => TinyKtoFixtures.TextRows(count)
        .Select(r => new Feedback { Question = r.Prompt.Text!, Completion = r.Completion.Text!, Label = r.Label });

    private static KtoOptions Options() => new() { MaxSteps = 2, LoggingSteps = 1, PerDeviceTrainBatchSize = 4, LearningRate = 1e-3, SaveSteps = 0 };

    private static KtoEstimator Kto(MLContext ml)
    {
        var estimator = ml.TextGeneration.Trainers.Kto(Fixture.Directory, Options());
        estimator.TransformOptions = new KtoTransformOptions { Generation = Greedy, BatchSize = 3 };
        return estimator;
    }

    [TestMethod]
    public void APipelineWithMLNetTransformsFitsAndTransformsLikeGenerate()
    {
        var ml = new MLContext(seed: 42);
        var data = ml.Data.LoadFromEnumerable(FeedbackRows(12));
        var pipeline = ml.Transforms.CopyColumns("prompt", nameof(Feedback.Question)).Append(Kto(ml));
        var model = pipeline.Fit(data);
        using var kto = model.LastTransformer;
        Assert.AreEqual(2, kto.TrainingLog.Count(l => l.ContainsKey("loss")), "two optimizer steps were logged");

        var questions = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 7).Select(i => new Question { Prompt = $"The sky is {i}", Id = i }));
        var answers = ml.Data.CreateEnumerable<Answer>(kto.Transform(questions), reuseRowObject: false).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(0, 7).ToArray(), answers.Select(a => a.Id).ToArray(), "input columns pass through in order");
        for (var i = 0; i < 7; i++)
        {
            Assert.AreEqual(kto.Generate($"The sky is {i}", Greedy), answers[i].GeneratedCompletion, $"row {i}: batched transform equals Generate");
        }
    }

    [TestMethod]
    public void ProgressReachesMLContextLogAsReadableLinesAndThreadsAreLeftAlone()
    {
        var ml = new MLContext(seed: 5);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) { messages.Add(e.Message); } };
        var threads = Microsoft.ML.Kto.Models.TorchRuntime.NumThreads;
        Microsoft.ML.Kto.Models.TorchRuntime.NumThreads = 1;
        try
        {
            using var kto = Kto(ml).Fit(ml.Data.LoadFromEnumerable(FeedbackRows(8).Select(f => new { prompt = f.Question, completion = f.Completion, label = f.Label })));
            Assert.AreEqual(1, Microsoft.ML.Kto.Models.TorchRuntime.NumThreads, "Fit does not change libtorch's process-wide thread count");
        }
        finally
        {
            Microsoft.ML.Kto.Models.TorchRuntime.NumThreads = threads;
        }
        List<string> lines;
        lock (messages)
        {
            lines = messages.Where(m => m.Contains("KtoTrainer", StringComparison.Ordinal)).ToList();
        }

        Assert.IsTrue(lines.Any(m => m.Contains("[train] step 1/2 loss ", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsFalse(lines.Any(m => m.Contains("Dictionary`2", StringComparison.Ordinal)), "metrics print as names and values");
    }

    [TestMethod]
    public void MLContextsGpuConventionPicksTheDeviceOrFallsBackToTheCpu()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            Assert.Inconclusive("This machine has CUDA; the fallback is for machines without it.");
        }

        var fallback = new MLContext { GpuDeviceId = 0, FallbackToCpu = true };
        Assert.AreEqual("cpu", fallback.TextGeneration.Trainers.Kto(Fixture.Directory).Options.Device);
        var strict = new MLContext { GpuDeviceId = 0, FallbackToCpu = false };
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => strict.TextGeneration.Trainers.Kto(Fixture.Directory)).Message, "FallbackToCpu");
        var explicitDevice = new KtoOptions { Device = "cuda:1" };
        Assert.AreEqual("cuda:1", strict.TextGeneration.Trainers.Kto(Fixture.Directory, explicitDevice).Options.Device, "an explicit device wins");
    }

    [TestMethod]
    public void TransformIsLazyAndGeneratesOneBatchAheadAtMost()
    {
        var ml = new MLContext(seed: 1);
        using var kto = Kto(ml).Fit(ml.Data.LoadFromEnumerable(FeedbackRows(8).Select(f => new { prompt = f.Question, completion = f.Completion, label = f.Label })));
        var questions = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new Question { Prompt = $"q{i}", Id = i }));
        var before = kto.CompletionsGenerated;
        var transformed = kto.Transform(questions);
        Assert.AreEqual(before, kto.CompletionsGenerated, "Transform alone generates nothing");
        var output = transformed.Schema["generated_completion"];
        using (var idsOnly = transformed.GetRowCursor([transformed.Schema["Id"]]))
        {
            while (idsOnly.MoveNext()) { }
        }

        Assert.AreEqual(before, kto.CompletionsGenerated, "a cursor without the completion column generates nothing");
        using var cursor = transformed.GetRowCursor([output]);
        for (var i = 0; i < 4; i++)
        {
            Assert.IsTrue(cursor.MoveNext());
        }

        Assert.AreEqual(before + 6, kto.CompletionsGenerated, "four rows read in batches of three: two batches");
    }

    [TestMethod]
    public void PredictionEngineWorksOnTheBareTransformerAndOnAChain()
    {
        var ml = new MLContext(seed: 2);
        var data = ml.Data.LoadFromEnumerable(FeedbackRows(8));
        var chain = ml.Transforms.CopyColumns("prompt", nameof(Feedback.Question)).Append(Kto(ml))
            .Append(ml.Transforms.CopyColumns("answer", "generated_completion")).Fit(data);
        var kto = chain.Take(2).Last() as KtoTransformer ?? throw new AssertFailedException("the second transformer is KTO");

        var bare = ml.Model.CreatePredictionEngine<Question, Answer>(kto);
        var first = bare.Predict(new Question { Prompt = "The sky is", Id = 3 });
        var second = bare.Predict(new Question { Prompt = "Two plus two", Id = 4 });
        Assert.AreEqual(3, first.Id);
        Assert.AreEqual(kto.Generate("The sky is", Greedy), first.GeneratedCompletion);
        Assert.AreEqual(kto.Generate("Two plus two", Greedy), second.GeneratedCompletion, "each prediction generates for its own row");

        var viaChain = ml.Model.CreatePredictionEngine<Feedback, ChainOutput>(chain).Predict(new Feedback { Question = "The sky is" });
        Assert.AreEqual(first.GeneratedCompletion, viaChain.Answer, "ML.NET transforms before and after ours run too");
        kto.Dispose();
    }

    public sealed class ChainOutput
    {
        [ColumnName("answer")] public string Answer { get; set; } = "";
    }

    [TestMethod]
    public void PairedDataLoadsFromATextFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kto-paired-{Guid.NewGuid():N}.tsv");
        File.WriteAllLines(path, ["prompt\tchosen\trejected", "The sky is\t blue.\t green.", "Two plus two\t is four\t is five", "Paris is in\t France.\t Spain."]);
        try
        {
            var ml = new MLContext(seed: 3);
            var data = ml.Data.LoadFromTextFile<PairedRow>(path, hasHeader: true, separatorChar: '\t');
            using var kto = Kto(ml).Fit(data);
            Assert.IsTrue(kto.TrainingLog.Any(l => l.ContainsKey("loss")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void UnpairedDataLoadsFromAQuotedCsvFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kto-unpaired-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["prompt,completion,label", "\"The sky, at noon, is\",\" blue.\",true", "\"Water boils at\",\" ten, maybe\",false",
            "Two plus two,\" is \"\"four\"\"\",true", "A cat sat on,\" the sea\",false"]);
        try
        {
            var ml = new MLContext(seed: 3);
            var data = ml.Data.LoadFromTextFile<UnpairedCsvRow>(path, hasHeader: true, separatorChar: ',', allowQuoting: true);
            CollectionAssert.AreEqual(new[] { "The sky, at noon, is", "Water boils at", "Two plus two", "A cat sat on" }, data.GetColumn<string>("prompt").ToArray(),
                "quoted commas stay inside a field");
            using var kto = Kto(ml).Fit(data);
            Assert.IsTrue(kto.TrainingLog.Any(l => l.ContainsKey("loss")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public sealed class UnpairedCsvRow
    {
        [LoadColumn(0), ColumnName("prompt")] public string Prompt { get; set; } = "";
        [LoadColumn(1), ColumnName("completion")] public string Completion { get; set; } = "";
        [LoadColumn(2), ColumnName("label")] public bool Label { get; set; }
    }

    public sealed class PairedRow
    {
        [LoadColumn(0)] public string prompt { get; set; } = "";
        [LoadColumn(1)] public string chosen { get; set; } = "";
        [LoadColumn(2)] public string rejected { get; set; } = "";
    }

    public sealed class TokenizedOut
    {
        [ColumnName("prompt_input_ids")] public int[] PromptIds { get; set; } = [];
        [ColumnName("completion_input_ids")] public int[] CompletionIds { get; set; } = [];
    }

    [TestMethod]
    public void TheTokenizationTransformWritesTheIdsTrainingUsesAndKtoTrainsOnThem()
    {
        var ml = new MLContext(seed: 8);
        var rows = FeedbackRows(8).Select(f => new { prompt = f.Question, completion = f.Completion, label = f.Label }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var tokenized = ml.TextGeneration.Transforms.Tokenize(Fixture.Directory).Fit(data).Transform(data);
        var ids = ml.Data.CreateEnumerable<TokenizedOut>(tokenized, reuseRowObject: false).ToList();
        var encoder = Fixture.Encoder();
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = Microsoft.ML.Kto.Data.Preparation.KtoDatasetPreparer.Tokenize(encoder,
                new Microsoft.ML.Kto.Data.KtoRow(Microsoft.ML.Kto.Data.KtoContent.FromText(rows[i].prompt), Microsoft.ML.Kto.Data.KtoContent.FromText(rows[i].completion), rows[i].label, i + 1));
            CollectionAssert.AreEqual(expected.PromptIds, ids[i].PromptIds, $"row {i} prompt ids");
            CollectionAssert.AreEqual(expected.CompletionIds, ids[i].CompletionIds, $"row {i} completion ids");
        }
        Assert.IsTrue(tokenized.Preview().ColumnView.Any(c => c.Column.Name == "prompt_input_ids"), "Preview shows the id columns");

        using var fromText = Kto(ml).Fit(data);
        using var fromIds = Kto(ml).Fit(tokenized);
        Assert.AreEqual(fromText.TrainingLog[0]["loss"], fromIds.TrainingLog[0]["loss"], 0, "the same ids give the same first step");
        Assert.AreEqual(fromText.TrainingLog[1]["loss"], fromIds.TrainingLog[1]["loss"], 0);
    }

    public sealed class UnpairedOut
    {
        [ColumnName("prompt")] public string Prompt { get; set; } = "";
        [ColumnName("completion")] public string Completion { get; set; } = "";
        [ColumnName("label")] public bool Label { get; set; }
    }

    [TestMethod]
    public void UnpairingAsATransformGivesTheEstimatorsOwnRowsAndTrainsAlike()
    {
        var ml = new MLContext(seed: 9);
        var pairs = Enumerable.Range(0, 5).Select(i => new { prompt = $"Question {i}", chosen = $" good {i}", rejected = $" bad {i}" }).ToList();
        var paired = ml.Data.LoadFromEnumerable(pairs);
        var unpaired = ml.TextGeneration.Transforms.UnpairPreferences().Fit(paired).Transform(paired);
        var rows = ml.Data.CreateEnumerable<UnpairedOut>(unpaired, reuseRowObject: false).ToList();
        var expected = Microsoft.ML.Kto.Data.KtoDatasetLoader.Load(pairs.Select(p => new System.Text.Json.Nodes.JsonObject
        { ["prompt"] = p.prompt, ["chosen"] = p.chosen, ["rejected"] = p.rejected })).Rows;
        Assert.AreEqual(10, rows.Count);
        Assert.AreEqual(10L, unpaired.GetRowCount());
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.AreEqual(expected[i].Prompt.Text, rows[i].Prompt, $"row {i}");
            Assert.AreEqual(expected[i].Completion.Text, rows[i].Completion, $"row {i}");
            Assert.AreEqual(expected[i].Label, rows[i].Label, $"row {i}");
        }
        Assert.IsTrue(rows.Take(5).Any(r => r.Label) && rows.Take(5).Any(r => !r.Label), "labels alternate through the data");

        using var fromPairs = Kto(ml).Fit(paired);
        using var fromRows = Kto(ml).Fit(unpaired);
        Assert.AreEqual(fromPairs.TrainingLog[0]["loss"], fromRows.TrainingLog[0]["loss"], 0, "unpairing first changes nothing");

        var conversations = ml.Data.LoadFromEnumerable(new[]
        {
            new { chosen = """[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]""",
                  rejected = """[{"role":"user","content":"Hi"},{"role":"assistant","content":"Go away."}]""" },
        });
        var implicitRows = ml.Data.CreateEnumerable<UnpairedOut>(ml.TextGeneration.Transforms.UnpairPreferences().Fit(conversations).Transform(conversations), false).ToList();
        Assert.AreEqual("""[{"role":"user","content":"Hi"}]""", implicitRows[0].Prompt, "the shared prefix is the implicit prompt");
        Assert.AreEqual("""[{"role":"assistant","content":"Hello!"}]""", implicitRows[0].Completion);
    }

    [TestMethod]
    public void JsonlLoadsAsAnIDataViewWithConversationsAsJsonText()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kto-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path,
        [
            """{"prompt": [{"role": "user", "content": "The sky is"}], "completion": [{"role": "assistant", "content": "blue."}], "label": true, "tools": [{"type": "function", "function": {"name": "f"}}]}""",
            """{"prompt": [{"role": "user", "content": "Two plus two"}], "completion": [{"role": "assistant", "content": "five"}], "label": false}""",
            """{"prompt": [{"role": "user", "content": "Paris is in"}], "completion": [{"role": "assistant", "content": "France."}], "label": true}""",
            """{"prompt": [{"role": "user", "content": "Water boils at"}], "completion": [{"role": "assistant", "content": "ten."}], "label": false}""",
        ]);
        try
        {
            var ml = new MLContext(seed: 4);
            var data = ml.Data.LoadFromJsonl(path);
            Assert.AreEqual(TextDataViewType.Instance, data.Schema["prompt"].Type);
            Assert.AreEqual(BooleanDataViewType.Instance, data.Schema["label"].Type);
            var prompts = data.GetColumn<string>("prompt").ToList();
            StringAssert.StartsWith(prompts[0], "[{\"role\":\"user\"");
            Assert.AreEqual("", data.GetColumn<string>("tools").Last(), "a missing value is empty text");
            using var kto = Kto(ml).Fit(data);
            Assert.IsTrue(kto.TrainingLog.Any(l => l.ContainsKey("loss")), "conversational rows train");

            File.AppendAllLines(path, ["""{"prompt": "x", "completion": "y", "label": "maybe"}"""]);
            var e = Assert.ThrowsException<Microsoft.ML.Kto.Data.KtoDataException>(() => ml.Data.LoadFromJsonl(path));
            StringAssert.Contains(e.Message, "Line 5");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void SchemaErrorsNameTheColumnTheTypesAndTheOption()
    {
        var ml = new MLContext();
        var estimator = Kto(ml);
        var missing = ml.Data.LoadFromEnumerable(FeedbackRows(4));
        var e = Assert.ThrowsException<ArgumentException>(() => estimator.Fit(missing));
        StringAssert.Contains(e.Message, "'prompt'");
        StringAssert.Contains(e.Message, "KtoOptions.ColumnNames.Prompt");
        Assert.ThrowsException<ArgumentException>(() => estimator.GetOutputSchema(ShapeOf<Feedback>(ml)));

        var wrongLabel = ml.Data.LoadFromEnumerable(new[] { new { prompt = "a", completion = "b", label = "yes" } });
        e = Assert.ThrowsException<ArgumentException>(() => estimator.Fit(wrongLabel));
        StringAssert.Contains(e.Message, "Column 'label' is String");
        StringAssert.Contains(e.Message, "Boolean (or a number holding 0/1)");
        StringAssert.Contains(e.Message, "KtoOptions.ColumnNames.Label");

        var numeric = ml.Data.LoadFromEnumerable(new[] { new { prompt = "a", completion = "b", label = 2f } });
        StringAssert.Contains(Assert.ThrowsException<Microsoft.ML.Kto.Data.KtoDataException>(() => estimator.Fit(numeric)).Message, "must be 0 or 1");

        using var kto = estimator.Fit(ml.Data.LoadFromEnumerable(new[] { new { prompt = "a", completion = "b", label = 1f }, new { prompt = "c", completion = "d", label = 0f } }));
        var noPrompt = ml.Data.LoadFromEnumerable(new[] { new { question = "a" } });
        e = Assert.ThrowsException<ArgumentException>(() => kto.Transform(noPrompt));
        StringAssert.Contains(e.Message, "KtoTransformOptions.PromptColumnName");
        var output = estimator.GetOutputSchema(ShapeOf<UnpairedRow>(ml));
        Assert.AreEqual(TextDataViewType.Instance, output.Single(c => c.Name == "generated_completion").ItemType);
        Assert.AreEqual(4, output.Count, "the input columns and the generated completion");
    }

    public sealed class NoColumns;

    public sealed class UnpairedRow
    {
        public string prompt { get; set; } = "";
        public string completion { get; set; } = "";
        public bool label { get; set; }
    }

    // SchemaShape.Create is internal in ML.NET 5.0.1; a custom mapping from no columns yields the shape of T's columns.
    private static SchemaShape ShapeOf<T>(MLContext ml) where T : class, new() =>
        ml.Transforms.CustomMapping<NoColumns, T>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));

    [TestMethod]
    public void AChainWithKtoRoundTripsThroughSaveWithKtoAndPlainLoadNamesTheWrapper()
    {
        var ml = new MLContext(seed: 6);
        var data = ml.Data.LoadFromEnumerable(FeedbackRows(8));
        var chain = ml.Transforms.CopyColumns("prompt", nameof(Feedback.Question)).Append(Kto(ml))
            .Append(ml.Transforms.CopyColumns("answer", "generated_completion")).Fit(data);
        var kto = (KtoTransformer)chain.ElementAt(1);
        var path = Path.Combine(Path.GetTempPath(), $"kto-{Guid.NewGuid():N}.zip");
        var plainPath = path + ".plain.zip";
        try
        {
            ml.Model.SaveWithKto(chain, data.Schema, path);
            Assert.IsFalse(File.Exists($"{path}.tmp-{Environment.ProcessId}"), "no temporary file is left");
            var loaded = ml.Model.LoadWithKto(path, out var schema);
            Assert.AreEqual(data.Schema.Count, schema.Count);
            var reloadedKto = ((IEnumerable<ITransformer>)loaded).OfType<KtoTransformer>().Single();
            reloadedKto.TransformOptions = kto.TransformOptions;
            var input = new Feedback { Question = "The sky is" };
            var expected = ml.Model.CreatePredictionEngine<Feedback, ChainOutput>(chain).Predict(input).Answer;
            Assert.AreEqual(expected, ml.Model.CreatePredictionEngine<Feedback, ChainOutput>(loaded).Predict(input).Answer,
                "the loaded chain (ML.NET transforms before and after, KTO weights restored) answers as the saved one");

            ml.Model.SaveWithKto(loaded, schema, path + ".again.zip");
            var again = ml.Model.LoadWithKto(path + ".again.zip", out _);
            ((IEnumerable<ITransformer>)again).OfType<KtoTransformer>().Single().TransformOptions = kto.TransformOptions;
            Assert.AreEqual(expected, ml.Model.CreatePredictionEngine<Feedback, ChainOutput>(again).Predict(input).Answer, "save -> load -> save -> load");
            reloadedKto.Dispose();
            ((IEnumerable<ITransformer>)again).OfType<KtoTransformer>().Single().Dispose();

            // ML.NET instantiates the factory through reflection, so our refusal arrives as the innermost exception.
            var plain = Assert.ThrowsException<System.Reflection.TargetInvocationException>(() => ml.Model.Load(path, out _));
            Assert.IsInstanceOfType<InvalidOperationException>(plain.GetBaseException());
            StringAssert.Contains(plain.GetBaseException().Message, "LoadWithKto");

            ml.Model.Save(chain, data.Schema, plainPath);
            StringAssert.Contains(Assert.ThrowsException<InvalidDataException>(() => ml.Model.LoadWithKto(plainPath, out _)).Message, "SaveWithKto");
        }
        finally
        {
            foreach (var file in new[] { path, path + ".again.zip", plainPath })
            {
                File.Delete(file);
            }

            kto.Dispose();
        }
    }
}
