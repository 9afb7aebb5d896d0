using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// What the trainer, the scorer and the generator need of a causal language model, so that TorchSharp model code from
/// elsewhere plugs in: hidden states from token ids and a padding mask, and the LM head's weight (the head runs only on
/// the positions that are scored, fused with the log-softmax; see <see cref="SelectiveLogSoftmax"/>).
/// <see cref="CausalLM"/> implements it for the Hugging Face families; another implementation is usually a few lines
/// around an existing <see cref="nn.Module"/>.
/// </summary>
/// <remarks>
/// Contract: <see cref="Forward"/> takes ids [B, T] (int64) and an optional attention mask [B, past+T] (1 = real token,
/// 0 = padding, left or right) and returns hidden states [B, T, hidden] in <see cref="DType"/>, causal: position t sees
/// only positions up to t. <see cref="LmHeadWeight"/> [vocab, hidden] maps hidden states to logits (a bias-free linear
/// head, as every Hugging Face causal LM here; the input embeddings when tied). A model without a key/value
/// cache may throw <see cref="NotSupportedException"/> when <c>cache</c> is not null; then it trains and scores but does
/// not generate. Parameters are those of <see cref="Module"/>; checkpoints store them under their
/// <c>named_parameters()</c> names, with <see cref="Config"/> as config.json.
/// </remarks>
public interface ICausalLM
{
    /// <summary>The architecture facts (vocabulary size, layers and key/value heads for the cache, special ids).</summary>
    ModelConfig Config { get; }

    /// <summary>Element type of the parameters and activations.</summary>
    ScalarType DType { get; }

    /// <summary>Where the parameters live.</summary>
    Device Device { get; }

    /// <summary>The module holding every parameter (what the optimizer trains and checkpoints save).</summary>
    nn.Module Module { get; }

    /// <summary>Final hidden states [B, T, hidden]; see the remarks for the contract.</summary>
    Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null);

    /// <summary>The LM head's weight [vocab, hidden].</summary>
    Tensor LmHeadWeight { get; }
}

/// <summary>
/// A model that can recompute its decoder layers' activations in backward instead of keeping them (Hugging Face's
/// <c>gradient_checkpointing_enable()</c>), which <c>KtoOptions.GradientCheckpointing</c> needs. An
/// <see cref="ICausalLM"/> with its own layers implements it by running each layer through
/// <see cref="ActivationCheckpoint.Apply"/> while the flag is set.
/// </summary>
public interface IGradientCheckpointing
{
    /// <summary>Whether forward passes with gradients checkpoint every decoder layer (passes without gradients and cached generation never do).</summary>
    bool GradientCheckpointing { get; set; }
}

/// <summary>Operations on any <see cref="ICausalLM"/>.</summary>
public static class CausalLMExtensions
{
    /// <summary>Sets whether the parameters collect gradients (training) or not (reference model, inference).</summary>
    public static void SetRequiresGrad(this ICausalLM model, bool requiresGrad)
    {
        foreach (var (_, p) in model.Module.named_parameters())
        {
            p.requires_grad = requiresGrad;
        }
    }

    /// <summary>Logits [..., vocab] of hidden states [..., hidden] (the head alone, so callers apply it only where needed).</summary>
    public static Tensor LmHead(this ICausalLM model, Tensor hidden) => nn.functional.linear(hidden, model.LmHeadWeight);

    /// <summary>Logits [B, T, vocab] for every position.</summary>
    public static Tensor Logits(this ICausalLM model, Tensor inputIds, Tensor? attentionMask = null) =>
        model.LmHead(model.Forward(inputIds, attentionMask));

    /// <summary>Writes config.json, generation_config.json and model.safetensors in Hugging Face layout.</summary>
    public static void SaveTo(this ICausalLM model, string directory, ScalarType? dtype = null) =>
        ModelWriter.Save(model, directory, dtype ?? model.DType);
}
