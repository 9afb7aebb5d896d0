namespace Microsoft.ML.Kto.Cli.Bench;

/// <summary>
/// Useful model FLOPs of one KTO training step (a multiply-add is 2), the same formula as
/// <c>build/bench/kto_step_reference.py</c> so both report the same number. With S = prompt + completion length,
/// C = completion length, q = heads·head_dim, kv = kv_heads·head_dim:
/// P_body = layers·(hidden·(q + 2·kv) + q·hidden + 3·hidden·intermediate);
/// one forward F = 2·batch·S·P_body + 4·batch·layers·S²·q (attention, full square as in PaLM) + 2·batch·C·hidden·vocab
/// (LM head on completion positions only: the work the loss needs);
/// step = 3F (policy forward + backward) + F (policy KL forward) + 2F (reference forwards, 0 when precomputed).
/// Embeddings, norms, RoPE, softmax and the optimizer are not counted.
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
        return forward * (3 + 1 + (s.PrecomputeRef ? 0 : 2));
    }
}
