using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// The LM head fused with the log-softmax at the target tokens, in row chunks, as one autograd function: for hidden
/// states h [N, hidden], head weight W [vocab, hidden] and targets t [N] it returns, in float32,
/// log p(tᵢ) = (hᵢWᵀ)[tᵢ] − logsumexp(hᵢWᵀ) with gradients to h and W, and on request the entropy −Σ p·log p and the
/// vocabulary-mean logit (without gradients). Backward forms the gradient (onehot − softmax)·g in place, one chunk at a
/// time, from the head's output in the model dtype, which forward keeps when it needs at most
/// <see cref="KeptLogitsBudgetBytes"/> and backward otherwise recomputes chunk by chunk (one more head matmul). Either
/// way the head costs far less than the five [N, vocab] float32 tensors autograd's gather − logsumexp graph holds.
/// Each call allocates its chunk buffers once and reuses them, so steps do not fault in fresh pages per chunk.
/// </summary>
internal sealed class SelectiveLogSoftmax : autograd.SingleTensorFunction<SelectiveLogSoftmax>
{
    /// <inheritdoc/>
    public override string Name => nameof(SelectiveLogSoftmax);

    /// <summary>
    /// Largest head output (N × vocab in the model dtype) kept for backward instead of recomputed: 256 MiB keeps it
    /// for batches of a few thousand completion tokens on 32k vocabularies, where recomputing would cost a tenth of a
    /// step, and recomputes for large vocabularies and batches (e.g. Qwen's 152k), where keeping would cost gigabytes.
    /// </summary>
    internal const long KeptLogitsBudgetBytes = 256L << 20;

    /// <summary>Rows per chunk: about 32 MiB of float32 logits, between 16 and 1024 rows.</summary>
    internal static long ChunkRows(long vocab) => Math.Clamp((32L << 20) / Math.Max(1, vocab * 4), 16, 1024);

    /// <summary>Log-probs [N] float32 and, when <paramref name="withStatistics"/>, entropies and mean logits [N] float32.</summary>
    /// <param name="hidden">[N, hidden] in the model dtype.</param>
    /// <param name="weight">[vocab, hidden] head weight.</param>
    /// <param name="targets">[N] int64 token ids.</param>
    /// <param name="withStatistics">Also compute the entropy and the mean logit of every row.</param>
    /// <param name="chunkRows">Rows per chunk; by default <see cref="ChunkRows"/> of the vocabulary size.</param>
    /// <param name="keepLogits">Keep the head's output for backward (true) or recompute it (false); by default kept
    /// within <see cref="KeptLogitsBudgetBytes"/>.</param>
    public static (Tensor LogProbs, Tensor? Entropy, Tensor? MeanLogit) Compute(Tensor hidden, Tensor weight, Tensor targets,
        bool withStatistics = true, long? chunkRows = null, bool? keepLogits = null)
    {
        // The statistics leave through a holder rather than as outputs of the function: outputs without gradients
        // would reach backward as undefined tensors, which TorchSharp 0.107 counts as live forever.
        var backwardFollows = is_grad_enabled() && (hidden.requires_grad || weight.requires_grad);
        var keep = backwardFollows && (keepLogits ?? hidden.shape[0] * weight.shape[0] * weight.dtype.ElementSize() <= KeptLogitsBudgetBytes);
        var settings = new Settings { Rows = chunkRows ?? ChunkRows(weight.shape[0]), WithStatistics = withStatistics, KeepLogits = keep };
        var logProbs = apply(hidden, weight, targets, settings);
        return (logProbs, settings.Entropy, settings.MeanLogit);
    }

    private sealed class Settings
    {
        public long Rows;
        public bool WithStatistics;
        public bool KeepLogits;
        public Tensor? Entropy;
        public Tensor? MeanLogit;
    }

    /// <summary>
    /// The buffers of one call, allocated once and reused by every chunk: a fresh [chunk, vocab] float32 tensor is
    /// 32 MiB, which glibc always maps anew and the kernel faults in and zeroes, costing as much as the exp over it.
    /// The head's output lives in the model dtype (one chunk, or all N rows when kept for backward); float32 copies and
    /// work space beside it; for backward in a low-precision dtype, room for the gradient in that dtype and, when the
    /// head trains, for each chunk's [vocab, hidden] weight-gradient product.
    /// </summary>
    private sealed class ChunkBuffers
    {
        private readonly Tensor _weight;
        private readonly Tensor? _kept;
        private readonly Tensor? _head;
        private readonly Tensor? _float32;
        private readonly Tensor _work;
        private readonly Tensor? _weightProduct;

        public ChunkBuffers(Tensor weight, long rows, Tensor? kept, bool forBackward, bool weightGradient = false)
        {
            _weight = weight;
            _kept = kept;
            var lowPrecision = weight.dtype != ScalarType.Float32;
            long vocab = weight.shape[0];
            if (kept is null || (forBackward && lowPrecision))
            {
                _head = empty([rows, vocab], weight.dtype, weight.device);
            }

            if (lowPrecision)
            {
                _float32 = empty([rows, vocab], ScalarType.Float32, weight.device);
            }

            _work = empty([rows, vocab], ScalarType.Float32, weight.device);
            if (weightGradient && lowPrecision)
            {
                _weightProduct = empty(weight.shape, weight.dtype, weight.device);
            }
        }

        /// <summary>float32 logits [count, vocab] of the <paramref name="hidden"/> rows starting at row <paramref name="start"/> (valid until the next call).</summary>
        public Tensor Logits(Tensor hidden, long start)
        {
            var count = hidden.shape[0];
            var head = (_kept?.narrow(0, start, count) ?? _head!.narrow(0, 0, count)).addmm_(hidden, _weight.t(), beta: 0);
            return Float32(head);
        }

        /// <summary>float32 view or copy of kept head output rows.</summary>
        public Tensor KeptLogits(long start, long count) => Float32(_kept!.narrow(0, start, count));

        private Tensor Float32(Tensor head) => _float32 is null ? head : _float32.narrow(0, 0, head.shape[0]).copy_(head);

        /// <summary>A float32 [count, vocab] scratch buffer.</summary>
        public Tensor Work(long count) => _work.narrow(0, 0, count);

        /// <summary>The float32 gradient of the logits in the model dtype (itself for float32 models).</summary>
        public Tensor InModelDType(Tensor gradLogits) =>
            _float32 is null ? gradLogits : _head!.narrow(0, 0, gradLogits.shape[0]).copy_(gradLogits);

        /// <summary>Adds gradLogitsᵀ·hidden to the float32 weight gradient.</summary>
        public void AccumulateWeightGradient(Tensor gradWeight, Tensor gradLogits, Tensor hidden)
        {
            if (_weightProduct is null)
            {
                gradWeight.addmm_(gradLogits.t(), hidden);
            }
            else
            {
                gradWeight.add_(_weightProduct.addmm_(gradLogits.t(), hidden, beta: 0));
            }
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        Tensor hidden = (Tensor)vars[0], weight = (Tensor)vars[1], targets = (Tensor)vars[2];
        var settings = (Settings)vars[3];
        long rows = hidden.shape[0], step = Math.Min(settings.Rows, Math.Max(1, rows));
        var logProbs = empty([rows], ScalarType.Float32, hidden.device);
        var logsumexp = empty([rows], ScalarType.Float32, hidden.device);
        var entropy = settings.WithStatistics ? empty([rows], ScalarType.Float32, hidden.device) : null;
        var meanLogit = settings.WithStatistics ? empty([rows], ScalarType.Float32, hidden.device) : null;
        var kept = settings.KeepLogits ? empty([rows, weight.shape[0]], weight.dtype, weight.device) : null;
        using (var buffersScope = NewDisposeScope())
        {
            var buffers = new ChunkBuffers(weight, step, kept, forBackward: false);
            for (long start = 0; start < rows; start += step)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(step, rows - start);
                var logits = buffers.Logits(hidden.narrow(0, start, count), start);
                var picked = logits.gather(-1, targets.narrow(0, start, count).unsqueeze(-1)).squeeze(-1);
                // logsumexp in the work buffer (ATen's allocates a [chunk, vocab] temporary): e = exp(l − max),
                // lse = max + log Σe; the same pass gives the entropy, lse − Σp·l with Σp·l = Σ(e·l) / Σe.
                var max = logits.amax([-1], keepdim: true);
                var e = buffers.Work(count).copy_(logits).sub_(max).exp_();
                var sum = e.sum(-1);
                var lse = max.squeeze(-1) + sum.log();
                if (entropy is not null)
                {
                    entropy.narrow(0, start, count).copy_(lse - e.mul_(logits).sum(-1) / sum);
                    meanLogit!.narrow(0, start, count).copy_(logits.mean([-1]));
                }
                logProbs.narrow(0, start, count).copy_(picked - lse);
                logsumexp.narrow(0, start, count).copy_(lse);
            }
        }
        ctx.save_for_backward(kept is null ? [hidden, weight, targets, logsumexp] : [hidden, weight, targets, logsumexp, kept]);
        ctx.save_data("rows", step);
        // A frozen head (LoRA) needs no [vocab, hidden] gradient: backward skips its matmuls.
        ctx.save_data("weightGrad", weight.requires_grad);
        // An unused output's gradient arrives as null, not as zeros TorchSharp would build from the output, which the
        // caller has freed by then.
        ctx.set_materialize_grads(false);
        settings.Entropy = entropy;
        settings.MeanLogit = meanLogit;
        return logProbs;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        if (gradOutput is null || gradOutput.IsInvalid)
        {
            return [null!, null!, null!, null!];
        }

        var saved = ctx.get_saved_variables();
        Tensor hidden = saved[0], weight = saved[1], targets = saved[2], logsumexp = saved[3];
        var kept = saved.Count > 4 ? saved[4] : null;
        var gradLogProbs = gradOutput.to(ScalarType.Float32);
        long rows = hidden.shape[0], step = (long)ctx.get_data("rows");
        var gradHidden = empty(hidden.shape, hidden.dtype, hidden.device);
        // Accumulated in float32 whatever the model dtype, then cast once.
        var gradWeight = (bool)ctx.get_data("weightGrad") ? zeros(weight.shape, ScalarType.Float32, weight.device) : null;
        using (var buffersScope = NewDisposeScope())
        {
            var buffers = new ChunkBuffers(weight, step, kept, forBackward: true, weightGradient: gradWeight is not null);
            for (long start = 0; start < rows; start += step)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(step, rows - start);
                var hiddenChunk = hidden.narrow(0, start, count);
                var g = gradLogProbs.narrow(0, start, count).unsqueeze(-1);
                // d log p(t) / d logits = onehot(t) − softmax, times g: built in place in the kept or recomputed logits
                // (their last use).
                var logits = kept is null ? buffers.Logits(hiddenChunk, start) : buffers.KeptLogits(start, count);
                var gradLogits = logits.sub_(logsumexp.narrow(0, start, count).unsqueeze(-1)).exp_().mul_(g.neg());
                gradLogits.scatter_add_(1, targets.narrow(0, start, count).unsqueeze(-1), g);
                var inModelDType = buffers.InModelDType(gradLogits);
                gradHidden.narrow(0, start, count).addmm_(inModelDType, weight, beta: 0);
                if (gradWeight is not null)
                {
                    buffers.AccumulateWeightGradient(gradWeight, inModelDType, hiddenChunk);
                }
            }
        }
        return [gradHidden, gradWeight is null || weight.dtype == ScalarType.Float32 ? gradWeight! : gradWeight.to(weight.dtype), null!, null!];
    }
}
