using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>The share of problems whose completion the checker accepts, with the completions for display.</summary>
public sealed record SuccessRate(double Rate, IReadOnlyList<string> Completions)
{
    /// <summary>Generates one completion per problem (in batches) and checks each.</summary>
    public static SuccessRate Measure(KtoTransformer model, IReadOnlyList<ArithmeticProblem> problems, GenerationOptions options, int batchSize = 128)
    {
        var completions = new List<string>(problems.Count);
        foreach (var chunk in problems.Chunk(batchSize))
            completions.AddRange(model.Generate(chunk.Select(p => KtoContent.FromText(p.Prompt)).ToList(), options));
        var correct = problems.Where((p, i) => p.IsCorrect(completions[i])).Count();
        return new SuccessRate((double)correct / problems.Count, completions);
    }
}
