// Autograd controls. Grad mode is thread-local in libtorch, which matches the binding's thread-local NoGrad scope.
#include "kt_common.h"

KT_API int32_t kt_requires_grad(kt_tensor t, int32_t* out) {
  KT_GUARD(KT_FAIL, *out = t->requires_grad() ? 1 : 0; return KT_OK;)
}

KT_API int32_t kt_set_requires_grad(kt_tensor t, int32_t value) {
  KT_GUARD(KT_FAIL, t->requires_grad_(value != 0); return KT_OK;)
}

KT_API int32_t kt_backward(kt_tensor t, kt_tensor gradient, int32_t retain_graph) {
  KT_GUARD(KT_FAIL,
    t->backward(gradient ? *gradient : at::Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt);
    return KT_OK;)
}

// *out is nullptr when the tensor has no gradient yet.
KT_API int32_t kt_grad(kt_tensor t, kt_tensor* out) {
  KT_GUARD(KT_FAIL,
    const at::Tensor& g = t->grad();
    *out = g.defined() ? kt::wrap(g) : nullptr;
    return KT_OK;)
}

KT_API kt_tensor kt_detach(kt_tensor t) { KT_GUARD(nullptr, return kt::wrap(t->detach());) }

// Sets every gradient to none (PyTorch's zero_grad(set_to_none=True)), freeing the memory.
KT_API int32_t kt_zero_grad(const kt_tensor* tensors, int32_t count) {
  KT_GUARD(KT_FAIL,
    for (int32_t i = 0; i < count; ++i) tensors[i]->mutable_grad().reset();
    return KT_OK;)
}

KT_API int32_t kt_set_grad_enabled(int32_t enabled, int32_t* previous) {
  KT_GUARD(KT_FAIL,
    *previous = at::GradMode::is_enabled() ? 1 : 0;
    at::GradMode::set_enabled(enabled != 0);
    return KT_OK;)
}
