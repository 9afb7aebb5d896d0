using Microsoft.ML.Kto.Data.Preparation;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training;

/// <summary>Right-pads a chunk of examples into a <see cref="KtoBatch"/>, building KL pairs as TRL does.</summary>
public sealed class KtoCollator(int padTokenId, int? maxLength, Device device)
{
    /// <summary>Collates a chunk (one per-device batch, in dataset order).</summary>
    public KtoBatch Collate(IReadOnlyList<PreparedExample> chunk, bool withKl)
    {
        var sequences = chunk.Select(e => (e.PromptIds, e.CompletionIds)).ToList();
        var (ids, mask, completionMask, tokens) = Pad(sequences);
        Tensor? klIds = null, klMask = null;
        long[]? klCompletionMask = null;
        if (withKl)
        {
            // Row i is paired with the completion of row i-1 (row 0 with the last): mismatched pairs estimate KL.
            var kl = chunk.Select(e => (e.PromptIds, Fit(e.PromptIds, e.KlCompletionIds ?? throw new InvalidOperationException("KL completions were not assigned; call KlCompletions.Assign first.")))).ToList();
            (klIds, klMask, klCompletionMask, _) = Pad(kl);
        }
        return new KtoBatch
        {
            Examples = chunk,
            InputIds = ids,
            AttentionMask = mask,
            CompletionMask = completionMask,
            KlInputIds = klIds,
            KlAttentionMask = klMask,
            KlCompletionMask = klCompletionMask,
            Labels = chunk.Select(e => e.Label).ToArray(),
            AttentionTokens = tokens,
        };
    }

    /// <summary>The device batches are made on.</summary>
    public Device Device => device;

    // KL completions come from other rows, so they are cut again to respect the maximum length.
    private int[] Fit(int[] prompt, int[] completion) =>
        maxLength is { } max && prompt.Length + completion.Length > max ? completion[..Math.Max(0, max - prompt.Length)] : completion;

    private (Tensor Ids, Tensor Mask, long[] CompletionMask, long Tokens) Pad(List<(int[] Prompt, int[] Completion)> rows)
    {
        var width = rows.Max(r => r.Prompt.Length + r.Completion.Length);
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        var completion = new long[rows.Count * width];
        Array.Fill(ids, padTokenId);
        long tokens = 0;
        for (var b = 0; b < rows.Count; b++)
        {
            var (p, c) = rows[b];
            var at = b * width;
            for (var t = 0; t < p.Length; t++) { ids[at + t] = p[t]; mask[at + t] = 1; }
            for (var t = 0; t < c.Length; t++) { ids[at + p.Length + t] = c[t]; mask[at + p.Length + t] = 1; completion[at + p.Length + t] = 1; }
            tokens += p.Length + c.Length;
        }
        long[] shape = [rows.Count, width];
        return (tensor(ids, shape, device: device), tensor(mask, shape, device: device), completion, tokens);
    }
}
