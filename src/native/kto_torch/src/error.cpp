#include "kt_common.h"

#include <cstdlib>
#include <cstring>

namespace {
thread_local std::string last_error;
thread_local bool has_error = false;
}  // namespace

namespace kt {
void set_error(const char* message) {
  last_error = message ? message : "";
  has_error = true;
}
}  // namespace kt

// Returns the pending message as a malloc'd string the caller frees with kt_free_string, or nullptr.
KT_API char* kt_take_error() {
  if (!has_error) return nullptr;
  has_error = false;
  char* copy = static_cast<char*>(std::malloc(last_error.size() + 1));
  if (copy) std::memcpy(copy, last_error.c_str(), last_error.size() + 1);
  last_error.clear();
  return copy;
}

KT_API void kt_free_string(char* text) { std::free(text); }
