using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Prompts of different lengths as one left-padded batch, so every row's last prompt token sits in the last column
/// and new tokens line up: ids [batch, promptLength] and an attention mask [batch, promptLength + newTokens] whose
/// columns past the prompt are already 1, so a decoding step only widens its view of it.
/// </summary>
internal static class LeftPaddedBatch
{
    public static (Tensor Ids, Tensor AttentionMask) Build(IReadOnlyList<int[]> prompts, long padTokenId, int newTokens, Device device)
    {
        var width = prompts.Max(p => p.Length);
        var ids = new long[prompts.Count * width];
        var mask = new long[prompts.Count * (width + newTokens)];
        for (var row = 0; row < prompts.Count; row++)
        {
            var prompt = prompts[row];
            var padding = width - prompt.Length;
            var idRow = ids.AsSpan(row * width, width);
            idRow[..padding].Fill(padTokenId);
            for (var i = 0; i < prompt.Length; i++)
            {
                idRow[padding + i] = prompt[i];
            }

            mask.AsSpan(row * (width + newTokens) + padding, prompt.Length + newTokens).Fill(1);
        }
        return (tensor(ids, [prompts.Count, width], device: device),
                tensor(mask, [prompts.Count, width + newTokens], device: device));
    }
}
