using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>
/// The KTO data: the model's own sampled answers, each labelled desirable or undesirable by the checker. No
/// preferred-vs-rejected pairs and no reference answers are shown to the model, only thumbs up or down.
/// </summary>
public static class CheckerFeedback
{
    /// <summary>Samples <paramref name="samplesPerPrompt"/> answers per problem and labels each.</summary>
    public static List<KtoExample> Collect(MLContext ml, KtoTransformer model, IReadOnlyList<ArithmeticProblem> problems, int samplesPerPrompt, GenerationOptions sampling)
    {
        var repeated = problems.SelectMany(p => Enumerable.Repeat(p, samplesPerPrompt)).ToList();
        var answers = SuccessRate.Measure(ml, model, repeated, sampling).Completions;
        return repeated.Select((p, i) => new KtoExample { Prompt = p.Prompt, Completion = answers[i], Label = p.IsCorrect(answers[i]) }).ToList();
    }
}
