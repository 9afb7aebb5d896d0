// Optimizer kernels: one native call updates every parameter, so a step costs no per-tensor P/Invoke.
#include "kt_common.h"

#include <cmath>

// PyTorch's AdamW (decoupled weight decay, bias-corrected moments, eps added after the sqrt),
// single-tensor formulation. Parameters without a gradient are skipped, as in PyTorch.
KT_API int32_t kt_adamw_step(const kt_tensor* params, const kt_tensor* exp_avgs, const kt_tensor* exp_avg_sqs,
                             int32_t count, double lr, double beta1, double beta2, double eps, double weight_decay,
                             int64_t step) {
  KT_GUARD(KT_FAIL,
    TORCH_CHECK(step >= 1, "AdamW step count must start at 1");
    at::NoGradGuard no_grad;
    double bias_correction1 = 1.0 - std::pow(beta1, static_cast<double>(step));
    double bias_correction2 = 1.0 - std::pow(beta2, static_cast<double>(step));
    double step_size = lr / bias_correction1;
    double bias_correction2_sqrt = std::sqrt(bias_correction2);
    for (int32_t i = 0; i < count; ++i) {
      at::Tensor& p = *params[i];
      const at::Tensor& g = p.grad();
      if (!g.defined()) continue;
      at::Tensor& m = *exp_avgs[i];
      at::Tensor& v = *exp_avg_sqs[i];
      p.mul_(1.0 - lr * weight_decay);
      m.lerp_(g, 1.0 - beta1);
      v.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
      at::Tensor denom = (v.sqrt() / bias_correction2_sqrt).add_(eps);
      p.addcdiv_(m, denom, -step_size);
    }
    return KT_OK;)
}

// torch.nn.utils.clip_grad_norm_ with the 2-norm: returns the total norm before clipping.
KT_API int32_t kt_clip_grad_norm(const kt_tensor* params, int32_t count, double max_norm, double* total_norm) {
  KT_GUARD(KT_FAIL,
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> norms;
    std::vector<at::Tensor> grads;
    for (int32_t i = 0; i < count; ++i) {
      const at::Tensor& g = params[i]->grad();
      if (!g.defined()) continue;
      grads.push_back(g);
      norms.push_back(at::linalg_vector_norm(g.detach(), 2.0, c10::nullopt, false, at::kFloat));
    }
    if (grads.empty()) { *total_norm = 0.0; return KT_OK; }
    at::Tensor total = at::linalg_vector_norm(at::stack(norms), 2.0);
    double total_value = total.item<double>();
    *total_norm = total_value;
    double clip_coef = max_norm / (total_value + 1e-6);
    if (clip_coef < 1.0) for (auto& g : grads) g.mul_(clip_coef);
    return KT_OK;)
}
