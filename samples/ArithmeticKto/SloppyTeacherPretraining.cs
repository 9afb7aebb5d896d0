using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Data.Preparation;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>
/// Supervised next-token training on a sloppy teacher's worked sums: only <see cref="CorrectRate"/> of its answers
/// carry correctly, the rest forget the carry. The model learns addition and, with it, the teacher's habit, which is
/// what KTO is then asked to remove from binary feedback alone.
/// </summary>
public sealed class SloppyTeacherPretraining(PromptCompletionEncoder encoder, int padTokenId)
{
    /// <summary>Share of the teacher's answers that are correct.</summary>
    public double CorrectRate { get; init; } = 0.3;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 1500;

    /// <summary>Sums per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak AdamW learning rate (linear warm-up over the first 5% of steps, then linear decay).</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Trains <paramref name="model"/> in place; reports the mean loss of each tenth of the run.</summary>
    public void Train(CausalLM model, IReadOnlyList<ArithmeticProblem> problems, int seed, Action<int, double>? onLoss = null)
    {
        var random = new Random(seed);
        var correct = Encode(problems, p => p.Answer);
        var sloppy = Encode(problems, p => p.AnswerWithoutCarry);
        var collator = new KtoCollator(padTokenId, maxLength: null, model.Device);
        model.SetRequiresGrad(true);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, LearningRate, weight_decay: 0.01);
        var schedule = new LinearSchedule(LearningRate, Steps / 20, Steps);
        double lossSum = 0;
        var reportEvery = Math.Max(1, Steps / 10);
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = Enumerable.Range(0, BatchSize).Select(_ =>
            {
                var i = random.Next(problems.Count);
                return random.NextDouble() < CorrectRate ? correct[i] : sloppy[i];
            }).ToList();
            var collated = collator.Collate(batch, withKl: false);
            var scores = CompletionLogProbs.Compute(model, collated.InputIds, collated.AttentionMask, collated.CompletionMask);
            var loss = -scores.LogProbs.sum() / scores.TokenCounts.Sum();
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.ParamGroups.First().LearningRate = schedule.LearningRateAt(step);
            optimizer.step();
            optimizer.zero_grad(); // inside the step's scope, which frees the gradient handles it returns
            lossSum += loss.item<float>();
            if ((step + 1) % reportEvery == 0)
            {
                onLoss?.Invoke(step + 1, lossSum / reportEvery);
                lossSum = 0;
            }
        }
    }

    private PreparedExample[] Encode(IReadOnlyList<ArithmeticProblem> problems, Func<ArithmeticProblem, string> answer)
    {
        var rows = problems.Select((p, i) => new KtoRow(KtoContent.FromText(p.Prompt), KtoContent.FromText(answer(p)), label: true, sourceRow: i + 1)).ToList();
        return new KtoDatasetPreparer(encoder, maxLength: null).Prepare(rows).Examples.ToArray();
    }
}
