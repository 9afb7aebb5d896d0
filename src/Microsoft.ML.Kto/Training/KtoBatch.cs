using Microsoft.ML.Kto.Data.Preparation;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// One padded micro-batch: prompt+completion sequences, their KL counterparts (prompt i with the completion of
/// its KL partner), masks and labels. Tensors belong to the dispose scope open when the batch was collated.
/// </summary>
public sealed class KtoBatch
{
    /// <summary>The examples of the batch, in row order (reference providers look rows up by example).</summary>
    public required IReadOnlyList<PreparedExample> Examples { get; init; }
    /// <summary>[B, T] right-padded ids.</summary>
    public required Tensor InputIds { get; init; }
    /// <summary>[B, T] 1 for real tokens.</summary>
    public required Tensor AttentionMask { get; init; }
    /// <summary>Row-major [B, T] 1 on completion tokens (host copy: it selects the positions scored).</summary>
    public required long[] CompletionMask { get; init; }
    /// <summary>[B, T'] KL sequences, or null when the loss needs no KL term.</summary>
    public Tensor? KlInputIds { get; init; }
    /// <summary>[B, T'] attention mask of the KL sequences.</summary>
    public Tensor? KlAttentionMask { get; init; }
    /// <summary>Row-major [B, T'] completion mask of the KL sequences.</summary>
    public long[]? KlCompletionMask { get; init; }
    /// <summary>Desirable (true) or undesirable per row.</summary>
    public required bool[] Labels { get; init; }
    /// <summary>Real tokens in the completion batch (the num_tokens metric).</summary>
    public required long AttentionTokens { get; init; }
}
