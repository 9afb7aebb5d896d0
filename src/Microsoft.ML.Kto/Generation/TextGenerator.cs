using Microsoft.ML.Kto.Models;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Generates continuations of token-id prompts with a <see cref="CausalLM"/>, as <c>transformers</c>' greedy and
/// sampling <c>generate</c>: the prompts run as one left-padded batch through a single prefill pass, then each step
/// feeds only the new token of every row through the key/value cache.
/// </summary>
public static class TextGenerator
{
    /// <summary>
    /// The new tokens of each prompt (the prompt excluded; an end-of-sequence token that stopped a row included).
    /// </summary>
    /// <param name="model">The language model; its parameters are only read.</param>
    /// <param name="promptIds">One non-empty token-id sequence per row.</param>
    /// <param name="options">Decoding settings.</param>
    /// <param name="decode">Token ids to text; needed only for <see cref="GenerationOptions.StopStrings"/>.</param>
    /// <param name="onToken">Called with (row, token) for every token as soon as it is chosen, for streaming.</param>
    /// <param name="cancellationToken">Checked before every decoding step; cancelling throws <see cref="OperationCanceledException"/>.</param>
    public static int[][] Generate(ICausalLM model, IReadOnlyList<int[]> promptIds, GenerationOptions options,
        Func<int[], string>? decode = null, Action<int, int>? onToken = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        ValidatePrompts(promptIds, model.Config.VocabSize);
        var eosTokenIds = (options.EosTokenIds ?? model.Config.EosTokenIds).ToArray();
        // Without any pad or eos id, 0 is as good as any: pads only fill masked positions and inputs of finished rows.
        var padTokenId = options.PadTokenId ?? model.Config.PadTokenId ?? (eosTokenIds.Length > 0 ? eosTokenIds[0] : 0);
        var sequences = new GeneratedSequences(promptIds.Count, options.MaxNewTokens, eosTokenIds, padTokenId,
            options.StopStrings, decode, onToken);
        if (sequences.AllFinished)
        {
            return sequences.ToArrays();
        }

        using var noGrad = no_grad();
        using var generationScope = NewDisposeScope();
        var (promptBatch, attentionMask) = LeftPaddedBatch.Build(promptIds, padTokenId, options.MaxNewTokens, model.Device);
        long batch = promptIds.Count, promptLength = promptBatch.shape[1];
        using var cache = new KvCache(model.Config, batch, promptLength + options.MaxNewTokens, model.DType, model.Device);
        using var seen = options.RepetitionPenalty != 1 ? new TokenPresence(promptIds, model.Config.VocabSize, model.Device) : null;
        var processors = LogitsProcessorPipeline.For(options, seen);
        using var selector = new NextTokenSelector(options);
        var tokens = new long[batch];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (NewDisposeScope())
            {
                var input = cache.Length == 0 ? promptBatch : tensor(tokens, [batch, 1], device: model.Device);
                var width = input.shape[1];
                var hidden = model.Forward(input, attentionMask.narrow(1, 0, cache.Length + width), cache);
                var logits = model.LmHead(hidden.select(1, width - 1));
                selector.Select(processors.Process(logits.to(ScalarType.Float32)), tokens);
            }
            sequences.Accept(tokens);
            if (sequences.AllFinished)
            {
                return sequences.ToArrays();
            }

            seen?.Add(tokens);
        }
    }

    private static void ValidatePrompts(IReadOnlyList<int[]> promptIds, int vocabSize)
    {
        if (promptIds.Count == 0)
        {
            throw new ArgumentException("Pass at least one prompt.", nameof(promptIds));
        }

        for (var row = 0; row < promptIds.Count; row++)
        {
            if (promptIds[row] is not { Length: > 0 } prompt)
            {
                throw new ArgumentException($"Prompt {row} is empty; every prompt needs at least one token.", nameof(promptIds));
            }

            foreach (var id in prompt)
            {
                if (id < 0 || id >= vocabSize)
                {
                    throw new ArgumentException($"Prompt {row} holds token id {id}, outside the model's vocabulary [0, {vocabSize}).", nameof(promptIds));
                }
            }
        }
    }
}
