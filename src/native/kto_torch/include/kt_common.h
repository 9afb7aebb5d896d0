// Shared plumbing of the KtoTorchNative shim: handle conversions and the one exception guard.
//
// ABI rules (the C# binding relies on them):
//  * A tensor handle is a heap-allocated at::Tensor*; kt_free deletes it.
//  * Exports that create a tensor return its handle, or nullptr on failure.
//  * All other exports return int32 status 1 on success, 0 on failure, with results through out-pointers.
//  * On failure the message is in a thread-local slot, taken (and cleared) by kt_take_error.
#pragma once

#include <ATen/ATen.h>
#include <torch/version.h>
#include <cstdint>
#include <string>
#include <vector>

#define KT_API extern "C" __attribute__((visibility("default")))

#define KT_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

typedef at::Tensor* kt_tensor;

namespace kt {

void set_error(const char* message);

// Every handle the shim hands out goes through here, so the live count is exact.
kt_tensor wrap(at::Tensor&& tensor);
kt_tensor wrap(const at::Tensor& tensor);

inline at::IntArrayRef shape_of(const int64_t* dims, int32_t ndim) {
  return at::IntArrayRef(dims, static_cast<size_t>(ndim));
}

inline at::Device device_of(int32_t device_type, int32_t device_index) {
  return at::Device(device_type == 1 ? at::kCUDA : at::kCPU,
                    static_cast<c10::DeviceIndex>(device_index));
}

inline at::TensorOptions options_of(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(device_of(device_type, device_index));
}

std::vector<at::Tensor> unwrap_list(const kt_tensor* handles, int32_t count);

}  // namespace kt

// The single exception guard around every export body. libtorch reports errors as c10::Error
// (message without the C++ backtrace is what users need), anything else is caught too: no
// exception may cross the C ABI.
#define KT_GUARD(fallback, ...)                                 \
  try {                                                         \
    __VA_ARGS__                                                 \
  } catch (const c10::Error& e) {                               \
    kt::set_error(e.what_without_backtrace());                  \
  } catch (const std::exception& e) {                           \
    kt::set_error(e.what());                                    \
  } catch (...) {                                               \
    kt::set_error("unknown native exception");                  \
  }                                                             \
  return fallback;

#define KT_OK 1
#define KT_FAIL 0
