using Microsoft.ML.Kto.Data;
using Microsoft.ML.Kto.Prediction;

namespace Microsoft.ML.Kto;

public sealed partial class KtoTransformer
{
    /// <summary>Completions generated so far through <see cref="Complete"/> (tests check that transforms are lazy).</summary>
    internal long CompletionsGenerated => Interlocked.Read(ref _completionsGenerated);

    // Interlocked: several threads may generate from one model (each PredictionEngine, or Generate, on its own thread).
    private long _completionsGenerated;

    /// <summary>Completes prompts in left-padded batches of <see cref="KtoTransformOptions.BatchSize"/>.</summary>
    internal IReadOnlyList<string> Complete(IReadOnlyList<KtoContent> prompts, KtoTransformOptions options)
    {
        Interlocked.Add(ref _completionsGenerated, prompts.Count);
        var generation = options.Generation ?? DefaultGenerationOptions;
        var completions = new List<string>(prompts.Count);
        foreach (var chunk in prompts.Chunk(options.BatchSize))
        {
            completions.AddRange(Generate(chunk.Select(p => p.IsConversational ? p : TextPrompt(p.Text!, options.ApplyChatTemplateToText)).ToList(), generation));
        }

        return completions;
    }
}
