// A plain ML.NET user flow on paired preference data in a TSV file: load it with ML.NET's text loader, unpair and
// tokenize with the KTO transforms (inspecting the ids), train with the KTO estimator, predict through ML.NET's
// PredictionEngine, and save and load the model zip.
//
// Usage: dotnet run --project samples/FeedbackTsv [MODEL_DIR] [PAIRS_TSV]
// Without arguments it makes a tiny random byte-level Llama and a small TSV in a temporary folder, so it runs anywhere
// (the model is random, so its answers are noise; point MODEL_DIR at a real Hugging Face model for real ones).
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Kto;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Prediction;
using Microsoft.ML.Kto.Samples.Arithmetic;

var work = Directory.CreateTempSubdirectory("kto-tsv-").FullName;
var modelDirectory = args.Length > 0 ? args[0] : Path.Combine(work, "model");
if (args.Length == 0)
{
    DemoModel.Create(modelDirectory, hiddenSize: 64, layers: 2, seed: 7);
}

var tsv = args.Length > 1 ? args[1] : Path.Combine(work, "pairs.tsv");
if (args.Length < 2)
{
    File.WriteAllLines(tsv,
    [
        "prompt\tchosen\trejected",
        "12+30=\t42\t41",
        "25+17=\t42\t32",
        "\"7+8=\"\t15\t14",
        "40+40=\t80\t88",
    ]);
}

var ml = new MLContext(seed: 1);
IDataView pairs = ml.Data.LoadFromTextFile<PairRow>(tsv, hasHeader: true, separatorChar: '\t', allowQuoting: true);

// The data preparation is inspectable on its own: paired -> unpaired rows -> token ids.
var prepare = ml.TextGeneration.Transforms.UnpairPreferences().Append(ml.TextGeneration.Transforms.Tokenize(modelDirectory));
var prepared = prepare.Fit(pairs).Transform(pairs);
foreach (var row in ml.Data.CreateEnumerable<PreparedRow>(prepared, reuseRowObject: false).Take(4))
{
    Console.WriteLine($"{row.Prompt,-8} {row.Completion,-4} {(row.Label ? "👍" : "👎")}  prompt ids [{string.Join(" ", row.PromptIds)}] completion ids [{string.Join(" ", row.CompletionIds)}]");
}

var kto = ml.TextGeneration.Trainers.Kto(modelDirectory, new KtoOptions
{
    MaxSteps = 4,
    PerDeviceTrainBatchSize = 4,
    LearningRate = 1e-4,
    LoggingSteps = 1,
    SaveSteps = 0,
    MaxLength = 32,
});
kto.TransformOptions = new KtoTransformOptions { Generation = new GenerationOptions { MaxNewTokens = 3 } };
var model = prepare.Append(kto).Fit(pairs).LastTransformer;
Console.WriteLine($"training {model.TrainingSummary}; last loss {model.TrainingLog.Last(l => l.ContainsKey("loss"))["loss"]:F4}");

// Unpairing turns one row into two, so the chain is not row to row: predict and save with the KTO transformer itself.
var engine = ml.Model.CreatePredictionEngine<Question, Answer>(model);
Console.WriteLine($"12+30= -> '{engine.Predict(new Question { Prompt = "12+30=" }).Text}'");
var zip = Path.Combine(work, "model.zip");
var questions = ml.Data.LoadFromEnumerable(new[] { new Question { Prompt = "12+30=" } });
ml.Model.SaveWithKto(model, questions.Schema, zip);
var loaded = (KtoTransformer)ml.Model.LoadWithKto(zip, out _);
loaded.TransformOptions = model.TransformOptions;
Console.WriteLine($"loaded from {Path.GetFileName(zip)}: 12+30= -> '{ml.Model.CreatePredictionEngine<Question, Answer>(loaded).Predict(new Question { Prompt = "12+30=" }).Text}'");
loaded.Dispose();
model.Dispose();
Directory.Delete(work, recursive: true);

/// <summary>One line of the TSV.</summary>
public sealed class PairRow
{
    [LoadColumn(0), ColumnName("prompt")] public string Prompt { get; set; } = "";
    [LoadColumn(1), ColumnName("chosen")] public string Chosen { get; set; } = "";
    [LoadColumn(2), ColumnName("rejected")] public string Rejected { get; set; } = "";
}

/// <summary>An unpaired, tokenized row.</summary>
public sealed class PreparedRow
{
    [ColumnName("prompt")] public string Prompt { get; set; } = "";
    [ColumnName("completion")] public string Completion { get; set; } = "";
    [ColumnName("label")] public bool Label { get; set; }
    [ColumnName("prompt_input_ids")] public int[] PromptIds { get; set; } = [];
    [ColumnName("completion_input_ids")] public int[] CompletionIds { get; set; } = [];
}

/// <summary>A question for the prediction engine.</summary>
public sealed class Question
{
    [ColumnName("prompt")] public string Prompt { get; set; } = "";
}

/// <summary>The generated answer.</summary>
public sealed class Answer
{
    [ColumnName("generated_completion")] public string Text { get; set; } = "";
}
