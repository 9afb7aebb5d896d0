// Tensor creation and seeded random generators.
#include "kt_common.h"

#include <ATen/CPUGeneratorImpl.h>
#include <cstring>

typedef at::Generator* kt_generator;

namespace {
c10::optional<at::Generator> generator_or_default(kt_generator g) {
  return g ? c10::optional<at::Generator>(*g) : c10::nullopt;
}

// Random values are drawn on the CPU with the given generator and then moved, so a seed gives
// the same numbers on every device.
at::Tensor on_device(at::Tensor cpu, int32_t dtype, int32_t device_type, int32_t device_index) {
  return cpu.to(kt::device_of(device_type, device_index), static_cast<at::ScalarType>(dtype));
}
}  // namespace

KT_API kt_tensor kt_from_data(const void* data, const int64_t* shape, int32_t ndim, int32_t dtype,
                              int32_t device_type, int32_t device_index) {
  KT_GUARD(nullptr,
    at::Tensor host = at::empty(kt::shape_of(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    size_t nbytes = static_cast<size_t>(host.numel()) * host.element_size();
    if (nbytes > 0) std::memcpy(host.data_ptr(), data, nbytes);
    if (device_type == 0) return kt::wrap(std::move(host));
    return kt::wrap(host.to(kt::device_of(device_type, device_index)));)
}

KT_API kt_tensor kt_empty(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index) {
  KT_GUARD(nullptr, return kt::wrap(at::empty(kt::shape_of(shape, ndim), kt::options_of(dtype, device_type, device_index)));)
}

KT_API kt_tensor kt_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype, int32_t device_type,
                         int32_t device_index) {
  KT_GUARD(nullptr,
    return kt::wrap(at::full(kt::shape_of(shape, ndim), value, kt::options_of(dtype, device_type, device_index)));)
}

KT_API kt_tensor kt_arange(double start, double end, double step, int32_t dtype, int32_t device_type, int32_t device_index) {
  KT_GUARD(nullptr, return kt::wrap(at::arange(start, end, step, kt::options_of(dtype, device_type, device_index)));)
}

KT_API kt_generator kt_generator_new(uint64_t seed) {
  KT_GUARD(nullptr, return new at::Generator(at::detail::createCPUGenerator(seed));)
}

KT_API void kt_generator_free(kt_generator g) { delete g; }

KT_API kt_tensor kt_generator_get_state(kt_generator g) { KT_GUARD(nullptr, return kt::wrap(g->get_state());) }

KT_API int32_t kt_generator_set_state(kt_generator g, kt_tensor state) {
  KT_GUARD(KT_FAIL, g->set_state(*state); return KT_OK;)
}

KT_API int32_t kt_manual_seed(uint64_t seed) { KT_GUARD(KT_FAIL, at::manual_seed(seed); return KT_OK;) }

// distribution 0: normal(a = mean, b = std); 1: uniform [a = low, b = high).
KT_API kt_tensor kt_random(const int64_t* shape, int32_t ndim, int32_t distribution, double a, double b, kt_generator g,
                           int32_t dtype, int32_t device_type, int32_t device_index) {
  KT_GUARD(nullptr,
    at::Tensor cpu = at::empty(kt::shape_of(shape, ndim), at::TensorOptions().dtype(at::kFloat));
    if (distribution == 0) cpu.normal_(a, b, generator_or_default(g));
    else if (distribution == 1) cpu.uniform_(a, b, generator_or_default(g));
    else TORCH_CHECK(false, "unknown distribution code ", distribution);
    return kt::wrap(on_device(cpu, dtype, device_type, device_index));)
}

// Samples on the CPU with the seeded generator; probabilities are small ([batch, vocab]) so the move is cheap.
KT_API kt_tensor kt_multinomial(kt_tensor probs, int64_t samples, int32_t replacement, kt_generator g) {
  KT_GUARD(nullptr,
    at::Tensor cpu = probs->detach().to(at::kCPU, at::kFloat);
    at::Tensor drawn = at::multinomial(cpu, samples, replacement != 0, generator_or_default(g));
    return kt::wrap(drawn.to(probs->device()));)
}
