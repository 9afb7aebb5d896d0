// Fused per-token statistics of completion logits: log p(target) with autograd, plus the per-row entropy and
// mean logit without grad, computed in row chunks so no extra [N, V] float32 temporary is materialised.
#include "kt_common.h"

#include <algorithm>

namespace {
// Rows per chunk: about 8 MiB of float32 temporaries, between 16 and 256 rows.
int64_t chunk_rows(int64_t vocab) {
  int64_t rows = (int64_t{8} << 20) / std::max<int64_t>(1, vocab * 4);
  return std::min<int64_t>(256, std::max<int64_t>(16, rows));
}
}  // namespace

// logits [..., V] (any float dtype), targets [...] (int64). Returns log p(target) [...] in float32 with autograd,
// exactly as kt_selective_log_softmax (gather - logsumexp). Writes two new float32 [...] tensors without grad:
// entropy = -sum_v softmax_v * log_softmax_v = lse - sum_v softmax_v * l_v, and mean_logit = mean_v l_v.
KT_API kt_tensor kt_selective_log_softmax_with_stats(kt_tensor logits, kt_tensor targets, kt_tensor* entropy_out,
                                                     kt_tensor* mean_logit_out) {
  KT_GUARD(nullptr,
    TORCH_CHECK(entropy_out && mean_logit_out, "entropy_out and mean_logit_out must not be null");
    TORCH_CHECK(logits->dim() >= 1, "logits must have a vocabulary dimension");
    at::Tensor l = logits->to(at::kFloat);
    at::Tensor picked = l.gather(-1, targets->unsqueeze(-1)).squeeze(-1);
    at::Tensor lse = at::logsumexp(l, {-1}, false);
    at::Tensor log_probs = picked - lse;

    at::Tensor entropy, mean_logit;
    {
      at::NoGradGuard no_grad;
      const int64_t vocab = l.size(-1);
      at::Tensor rows = l.detach().reshape({-1, vocab});
      at::Tensor row_lse = lse.detach().reshape({-1});
      const int64_t n = rows.size(0);
      entropy = at::empty({n}, rows.options());
      mean_logit = at::empty({n}, rows.options());
      const int64_t step = chunk_rows(vocab);
      for (int64_t start = 0; start < n; start += step) {
        const int64_t count = std::min(step, n - start);
        at::Tensor chunk = rows.narrow(0, start, count);
        at::Tensor chunk_lse = row_lse.narrow(0, start, count);
        at::Tensor p = chunk - chunk_lse.unsqueeze(-1);  // the one [count, V] temporary: log p, then p, then p*l
        p.exp_().mul_(chunk);
        at::Tensor entropy_rows = entropy.narrow(0, start, count);
        at::Tensor mean_rows = mean_logit.narrow(0, start, count);
        at::sub_out(entropy_rows, chunk_lse, p.sum(-1));
        at::mean_out(mean_rows, chunk, {-1}, false);
      }
      entropy = entropy.view(lse.sizes());
      mean_logit = mean_logit.view(lse.sizes());
    }
    kt_tensor result = kt::wrap(std::move(log_probs));
    *entropy_out = kt::wrap(std::move(entropy));
    *mean_logit_out = kt::wrap(std::move(mean_logit));
    return result;)
}
