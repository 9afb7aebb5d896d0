// Neural-network building blocks: the few fused kernels the decoder and the KTO loss need.
#include "kt_common.h"

KT_API kt_tensor kt_softmax(kt_tensor t, int64_t dim) { KT_GUARD(nullptr, return kt::wrap(at::softmax(*t, dim));) }

KT_API kt_tensor kt_log_softmax(kt_tensor t, int64_t dim) {
  KT_GUARD(nullptr, return kt::wrap(at::log_softmax(*t, dim));)
}

KT_API kt_tensor kt_gather(kt_tensor t, int64_t dim, kt_tensor index) {
  KT_GUARD(nullptr, return kt::wrap(at::gather(*t, dim, *index));)
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction's numbering).
KT_API kt_tensor kt_cross_entropy(kt_tensor logits, kt_tensor target, int64_t ignore_index, int32_t reduction) {
  KT_GUARD(nullptr,
    return kt::wrap(at::cross_entropy_loss(*logits, *target, {}, reduction, ignore_index));)
}

KT_API kt_tensor kt_embedding(kt_tensor weight, kt_tensor ids) {
  KT_GUARD(nullptr, return kt::wrap(at::embedding(*weight, *ids));)
}

KT_API kt_tensor kt_linear(kt_tensor x, kt_tensor weight, kt_tensor bias) {
  KT_GUARD(nullptr,
    return kt::wrap(bias ? at::linear(*x, *weight, *bias) : at::linear(*x, *weight));)
}

// Hugging Face's RMSNorm: normalise in float32, cast back to the input dtype, then scale.
KT_API kt_tensor kt_rms_norm(kt_tensor x, kt_tensor weight, double eps) {
  KT_GUARD(nullptr,
    at::Tensor h = x->to(at::kFloat);
    at::Tensor normed = h * at::rsqrt(h.pow(2).mean(-1, true) + eps);
    return kt::wrap(*weight * normed.to(x->scalar_type()));)
}

// log p(target) for each row of logits [N, V]: gather minus logsumexp, in float32, without
// materialising the full log-softmax (the [N, V] float32 copy is what dominates memory otherwise).
KT_API kt_tensor kt_selective_log_softmax(kt_tensor logits, kt_tensor targets) {
  KT_GUARD(nullptr,
    at::Tensor l = logits->to(at::kFloat);
    at::Tensor picked = l.gather(-1, targets->unsqueeze(-1)).squeeze(-1);
    return kt::wrap(picked - at::logsumexp(l, {-1}, false));)
}

// Attention with an additive float mask ([B or 1, 1 or H, Tq, Tk], 0 or -inf/min) or none.
// libtorch 2.x has a fused kernel; 1.13 gets the eager formulation Hugging Face uses
// (softmax in float32, cast back).
KT_API kt_tensor kt_attention(kt_tensor q, kt_tensor k, kt_tensor v, kt_tensor additive_mask, double scale) {
  KT_GUARD(nullptr,
#if KT_TORCH_AT_LEAST(2, 1)
    c10::optional<at::Tensor> mask = additive_mask ? c10::optional<at::Tensor>(*additive_mask) : c10::nullopt;
    return kt::wrap(at::scaled_dot_product_attention(*q, *k, *v, mask, 0.0, false, scale));
#else
    at::Tensor scores = at::matmul(*q, k->transpose(-2, -1)) * scale;
    if (additive_mask) scores = scores + *additive_mask;
    at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q->scalar_type());
    return kt::wrap(at::matmul(probs, *v));
#endif
  )
}
