using Microsoft.ML.Data;
using Microsoft.ML.Kto.Generation;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>The share of problems whose completion the checker accepts, with the completions for display.</summary>
public sealed record SuccessRate(double Rate, IReadOnlyList<string> Completions)
{
    /// <summary>Completes every problem through the ML.NET transform (lazy, batched left-padded generation) and checks each.</summary>
    public static SuccessRate Measure(MLContext ml, KtoTransformer model, IReadOnlyList<ArithmeticProblem> problems, GenerationOptions options, int batchSize = 128)
    {
        model.TransformOptions = new KtoTransformOptions { Generation = options, BatchSize = batchSize };
        var questions = ml.Data.LoadFromEnumerable(problems.Select(p => new QuestionRow { Prompt = p.Prompt }));
        var completions = model.Transform(questions).GetColumn<string>(model.TransformOptions.OutputColumnName).ToList();
        var correct = problems.Where((p, i) => p.IsCorrect(completions[i])).Count();
        return new SuccessRate((double)correct / problems.Count, completions);
    }
}
