// Process-wide runtime facts and settings.
#include "kt_common.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <ATen/Context.h>
#include <cstdlib>
#include <cstring>

namespace {
char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}
}  // namespace

KT_API int32_t kt_set_num_threads(int32_t threads) { KT_GUARD(KT_FAIL, at::set_num_threads(threads); return KT_OK;) }

KT_API int32_t kt_get_num_threads() { return at::get_num_threads(); }

KT_API int32_t kt_cuda_device_count() {
  KT_GUARD(0, return at::globalContext().hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0;)
}

// "MAJOR.MINOR.PATCH" of the libtorch the shim was compiled against; caller frees with kt_free_string.
KT_API char* kt_torch_version() { KT_GUARD(nullptr, return copy_string(TORCH_VERSION);) }

// at::show_config(): build flags, BLAS, OpenMP, CUDA; caller frees with kt_free_string.
KT_API char* kt_build_config() { KT_GUARD(nullptr, return copy_string(at::show_config());) }
