namespace Microsoft.ML.Kto.Cli.Bench;

/// <summary>
/// Useful model FLOPs of one KTO training step (a multiply-add is 2), the same formula as
/// <c>build/bench/kto_step_reference.py</c> so both report the same number. With S = prompt + completion length,
/// C = completion length, q = heads·head_dim, kv = kv_heads·head_dim:
/// P_body = layers·(hidden·(q + 2·kv) + q·hidden + 3·hidden·intermediate);
/// one forward F = 2·batch·S·P_body + 4·batch·layers·S²·q (attention, full square as in PaLM) + 2·batch·C·hidden·vocab
/// (LM head on completion positions only: the work the loss needs);
/// step = 3F (policy forward + backward) + F (policy KL forward) + 2F (reference forwards, 0 when precomputed).
/// With LoRA (r on every decoder linear layer) the frozen weights need no weight gradients, so the policy's backward is
/// F (input gradients) instead of 2F, and the adapters add A_lora = 2·batch·S·layers·r·Σ(in + out) per pass that runs
/// them: 3·A_lora (policy forward + backward) + A_lora (KL forward); the reference runs with adapters off.
/// Embeddings, norms, RoPE, softmax and the optimizer are not counted. <c>kto_step_reference.py</c> has no LoRA.
/// </summary>
internal static class ModelFlops
{
    public static double PerStep(BenchSettings s)
    {
        long headDim = s.Hidden / s.Heads, q = s.Heads * headDim, kv = s.KvHeads * headDim;
        double sequence = s.SequenceLength, completion = s.CompletionLength, batch = s.Batch;
        double bodyParameters = s.Layers * ((double)s.Hidden * (q + 2 * kv) + (double)q * s.Hidden + 3.0 * s.Hidden * s.Intermediate);
        var forward = 2 * batch * sequence * bodyParameters
            + 4 * batch * s.Layers * sequence * sequence * q
            + 2 * batch * completion * s.Hidden * s.Vocab;
        var reference = s.PrecomputeRef ? 0 : 2;
        if (s.LoraR == 0)
        {
            return forward * (3 + 1 + reference);
        }

        // q, k, v, o, gate, up, down: Σ(in + out) over the adapted layers of one decoder layer.
        double inPlusOut = (s.Hidden + q) + 2.0 * (s.Hidden + kv) + (q + s.Hidden) + 3.0 * (s.Hidden + s.Intermediate);
        var adapters = 2 * batch * sequence * s.Layers * s.LoraR * inPlusOut;
        return forward * (2 + 1 + reference) + adapters * (3 + 1);
    }
}
