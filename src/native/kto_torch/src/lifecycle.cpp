// Handle ownership, metadata and host copies.
#include "kt_common.h"

#include <atomic>
#include <cstring>

namespace {
std::atomic<int64_t> live_tensors{0};
}

namespace kt {
kt_tensor wrap(at::Tensor&& tensor) {
  auto* handle = new at::Tensor(std::move(tensor));
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return handle;
}

kt_tensor wrap(const at::Tensor& tensor) {
  auto* handle = new at::Tensor(tensor);
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return handle;
}

std::vector<at::Tensor> unwrap_list(const kt_tensor* handles, int32_t count) {
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) list.push_back(*handles[i]);
  return list;
}
}  // namespace kt

KT_API void kt_free(kt_tensor t) {
  if (!t) return;
  delete t;
  live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

KT_API int64_t kt_live_tensors() { return live_tensors.load(std::memory_order_relaxed); }

KT_API int32_t kt_dim(kt_tensor t, int64_t* out) { KT_GUARD(KT_FAIL, *out = t->dim(); return KT_OK;) }

KT_API int32_t kt_shape(kt_tensor t, int64_t* out, int32_t capacity) {
  KT_GUARD(KT_FAIL,
    auto sizes = t->sizes();
    TORCH_CHECK(static_cast<int64_t>(sizes.size()) <= capacity, "shape buffer too small");
    std::copy(sizes.begin(), sizes.end(), out);
    return KT_OK;)
}

KT_API int32_t kt_info(kt_tensor t, int32_t* dtype, int32_t* device_type, int32_t* device_index, int64_t* numel) {
  KT_GUARD(KT_FAIL,
    *dtype = static_cast<int32_t>(t->scalar_type());
    *device_type = t->device().is_cuda() ? 1 : 0;
    *device_index = t->device().has_index() ? t->device().index() : 0;
    *numel = t->numel();
    return KT_OK;)
}

KT_API int32_t kt_element_size(int32_t dtype, int64_t* out) {
  KT_GUARD(KT_FAIL, *out = static_cast<int64_t>(c10::elementSize(static_cast<at::ScalarType>(dtype))); return KT_OK;)
}

KT_API kt_tensor kt_clone(kt_tensor t) { KT_GUARD(nullptr, return kt::wrap(t->clone());) }

// Another handle to the same tensor (shared storage and autograd identity).
KT_API kt_tensor kt_alias(kt_tensor t) { KT_GUARD(nullptr, return kt::wrap(*t);) }

KT_API kt_tensor kt_to(kt_tensor t, int32_t dtype, int32_t device_type, int32_t device_index) {
  KT_GUARD(nullptr,
    return kt::wrap(t->to(kt::device_of(device_type, device_index), static_cast<at::ScalarType>(dtype)));)
}

KT_API kt_tensor kt_contiguous(kt_tensor t) { KT_GUARD(nullptr, return kt::wrap(t->contiguous());) }

// Copies the tensor's elements (as its own dtype, row-major) into a caller buffer of exactly nbytes.
KT_API int32_t kt_copy_to_host(kt_tensor t, void* destination, int64_t nbytes) {
  KT_GUARD(KT_FAIL,
    at::Tensor host = t->detach().to(at::kCPU).contiguous();
    int64_t needed = host.numel() * static_cast<int64_t>(host.element_size());
    TORCH_CHECK(needed == nbytes, "host buffer holds ", nbytes, " bytes but the tensor has ", needed);
    if (needed > 0) std::memcpy(destination, host.data_ptr(), static_cast<size_t>(needed));
    return KT_OK;)
}

// In-place copy (with broadcasting and dtype/device conversion) without recording autograd history.
KT_API int32_t kt_copy_(kt_tensor destination, kt_tensor source) {
  KT_GUARD(KT_FAIL,
    at::NoGradGuard no_grad;
    destination->copy_(*source);
    return KT_OK;)
}

KT_API int32_t kt_item_double(kt_tensor t, double* out) { KT_GUARD(KT_FAIL, *out = t->item<double>(); return KT_OK;) }

KT_API int32_t kt_item_long(kt_tensor t, int64_t* out) { KT_GUARD(KT_FAIL, *out = t->item<int64_t>(); return KT_OK;) }
