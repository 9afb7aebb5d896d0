using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>The logits processors <c>transformers</c>' <c>generate</c> would apply for some options, in its order.</summary>
public sealed class LogitsProcessorPipeline : ILogitsProcessor
{
    /// <summary>Creates a pipeline of the given processors, applied in list order.</summary>
    public LogitsProcessorPipeline(IReadOnlyList<ILogitsProcessor> processors) => Processors = processors;

    /// <summary>The processors, in the order they run.</summary>
    public IReadOnlyList<ILogitsProcessor> Processors { get; }

    /// <summary>
    /// The processors for <paramref name="options"/>: repetition penalty (when not 1, over <paramref name="seen"/>),
    /// then, only when sampling, temperature (when not 1), top-k (when not 0) and top-p (when below 1).
    /// </summary>
    public static LogitsProcessorPipeline For(GenerationOptions options, TokenPresence? seen)
    {
        var processors = new List<ILogitsProcessor>();
        if (options.RepetitionPenalty != 1)
        {
            processors.Add(new RepetitionPenaltyLogitsProcessor(options.RepetitionPenalty,
                seen ?? throw new ArgumentNullException(nameof(seen), "A repetition penalty needs the tokens each row has seen.")));
        }

        if (options.DoSample)
        {
            if (options.Temperature != 1)
            {
                processors.Add(new TemperatureLogitsWarper(options.Temperature));
            }

            if (options.TopK != 0)
            {
                processors.Add(new TopKLogitsWarper(options.TopK));
            }

            if (options.TopP < 1)
            {
                processors.Add(new TopPLogitsWarper(options.TopP));
            }
        }
        return new LogitsProcessorPipeline(processors);
    }

    /// <summary>Runs every processor over <paramref name="scores"/> [batch, vocab].</summary>
    public Tensor Process(Tensor scores)
    {
        // Indexing rather than foreach: an interface enumerator would be allocated at every decoding step.
        for (var i = 0; i < Processors.Count; i++)
        {
            scores = Processors[i].Process(scores);
        }

        return scores;
    }
}
