using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Training.Reference;

/// <summary>Where the reference model's log-probs of a batch come from.</summary>
public interface IReferenceLogProbs
{
    /// <summary>[B] float32 reference log-probs of the completions and, when <paramref name="withKl"/>, of the KL sequences.</summary>
    (Tensor LogProbs, Tensor? KlLogProbs) Compute(KtoBatch batch, bool withKl);
}
