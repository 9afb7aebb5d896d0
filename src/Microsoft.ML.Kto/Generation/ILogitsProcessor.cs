using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// One step of turning next-token logits into the scores a token is chosen from, as a <c>transformers</c>
/// <c>LogitsProcessor</c> / <c>LogitsWarper</c>.
/// </summary>
public interface ILogitsProcessor
{
    /// <summary>The processed scores [batch, vocab] (a new tensor) of float32 <paramref name="scores"/> [batch, vocab].</summary>
    Tensor Process(Tensor scores);
}
