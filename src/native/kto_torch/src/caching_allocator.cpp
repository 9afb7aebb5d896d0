// Caching CPU allocator: keeps large freed blocks in per-size-class free lists so a training step that
// repeats the same shapes reuses already-faulted memory instead of mmap/munmap (and page zeroing) per tensor.
//
// * Requests below kMinCachedBytes (and 0 bytes) are served by the allocator that was installed before us.
// * Larger requests are rounded up to a size class (8 classes per power of two, <= 12.5% waste) and taken
//   from that class's free list, else from c10::alloc_cpu. Freed blocks go back to their list unless the
//   cached total would exceed the limit, in which case they are released with c10::free_cpu.
// * Every DataPtr has ctx == data. When the previous allocator supports the raw interface (the default
//   one does; oneDNN/ideep uses raw_allocate/raw_deallocate), small blocks are re-wrapped with our deleter
//   too, so raw_deleter() is the same function for every allocation; that deleter tells our blocks from
//   the previous allocator's through the in-use map.
// * Installed once and never destroyed (tensors may be freed during static destruction); blocks still
//   cached at exit are left to the OS.
#include "kt_common.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <atomic>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

constexpr size_t kMinCachedBytes = 256 * 1024;
constexpr int kClassesPerPowerOfTwo = 8;

size_t size_class(size_t n) {
  int top = 63 - __builtin_clzll(static_cast<unsigned long long>(n));  // n >= kMinCachedBytes > 0
  size_t step = (size_t{1} << top) / kClassesPerPowerOfTwo;
  return (n + step - 1) / step * step;
}

void raw_delete(void* ptr);

class CachingCpuAllocator final : public c10::Allocator {
 public:
  explicit CachingCpuAllocator(c10::Allocator* previous)
      : previous_(previous), previous_raw_(previous->raw_deleter()) {}

  c10::DataPtr allocate(size_t n) const override {
    if (n < kMinCachedBytes) {
      c10::DataPtr inner = previous_->allocate(n);
      if (!previous_raw_) return inner;  // raw interface unsupported: keep the previous deleter as is
      void* data = inner.get();
      TORCH_INTERNAL_ASSERT(inner.get_context() == data && inner.get_deleter() == previous_raw_,
                            "previous CPU allocator broke its raw_deleter contract");
      inner.release_context();
      return {data, data, &raw_delete, c10::Device(c10::DeviceType::CPU)};
    }
    void* data = take(size_class(n));
    return {data, data, &raw_delete, c10::Device(c10::DeviceType::CPU)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return previous_raw_ ? &raw_delete : nullptr; }

  // Returns a block of exactly `rounded` bytes (a size class), cached or new.
  void* take(size_t rounded) const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.find(rounded);
      if (it != free_.end() && !it->second.empty()) {
        void* data = it->second.back();
        it->second.pop_back();
        cached_bytes_ -= rounded;
        allocated_bytes_ += rounded;
        in_use_.emplace(data, rounded);
        ++hits_;
        return data;
      }
      ++misses_;
    }
    void* data;
    try {
      data = c10::alloc_cpu(rounded);
    } catch (const c10::Error&) {
      // Out of memory: give the cached blocks back to the system and try once more.
      if (release() == 0) throw;
      data = c10::alloc_cpu(rounded);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    allocated_bytes_ += rounded;
    in_use_.emplace(data, rounded);
    return data;
  }

  void give_back(void* data) const {
    if (!data) return;
    bool ours = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = in_use_.find(data);
      if (it != in_use_.end()) {
        ours = true;
        size_t rounded = it->second;
        in_use_.erase(it);
        allocated_bytes_ -= rounded;
        if (cached_bytes_ + rounded <= limit_) {
          free_[rounded].push_back(data);
          cached_bytes_ += rounded;
          return;
        }
      }
    }
    if (ours) {
      c10::free_cpu(data);  // caching it would exceed the limit
    } else {
      previous_raw_(data);  // a small block of the previous allocator (only with a raw-capable previous)
    }
  }

  // Sets the limit and trims the cache down to it. Returns the bytes released.
  size_t set_limit(size_t limit) const {
    std::vector<void*> victims;
    size_t freed = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      limit_ = limit;
      for (auto& entry : free_) {
        while (cached_bytes_ > limit_ && !entry.second.empty()) {
          victims.push_back(entry.second.back());
          entry.second.pop_back();
          cached_bytes_ -= entry.first;
          freed += entry.first;
        }
      }
    }
    for (void* p : victims) c10::free_cpu(p);
    return freed;
  }

  size_t release() const {
    std::vector<void*> victims;
    size_t freed = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto& entry : free_) {
        for (void* p : entry.second) victims.push_back(p);
        freed += entry.first * entry.second.size();
        entry.second.clear();
      }
      cached_bytes_ = 0;
    }
    for (void* p : victims) c10::free_cpu(p);
    return freed;
  }

  void stats(int64_t* cached, int64_t* allocated, int64_t* hits, int64_t* misses) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cached) *cached = static_cast<int64_t>(cached_bytes_);
    if (allocated) *allocated = static_cast<int64_t>(allocated_bytes_);
    if (hits) *hits = hits_;
    if (misses) *misses = misses_;
  }

 private:
  c10::Allocator* previous_;
  c10::DeleterFnPtr previous_raw_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<size_t, std::vector<void*>> free_;  // size class -> cached blocks
  mutable std::unordered_map<void*, size_t> in_use_;             // our blocks handed out -> size class
  mutable size_t cached_bytes_ = 0;
  mutable size_t allocated_bytes_ = 0;
  mutable size_t limit_ = 0;
  mutable int64_t hits_ = 0;
  mutable int64_t misses_ = 0;
};

std::atomic<CachingCpuAllocator*> instance{nullptr};  // leaked on purpose
std::mutex install_mutex;

}  // namespace

namespace {
void raw_delete(void* ptr) { instance.load(std::memory_order_acquire)->give_back(ptr); }
}  // namespace

// Installs the caching allocator as libtorch's CPU allocator on the first call; every call sets the limit on
// cached (free) bytes and trims the cache to it. Tensors allocated before installation keep their deleters.
KT_API int32_t kt_cpu_cache_enable(int64_t limit_bytes) {
  KT_GUARD(KT_FAIL,
    TORCH_CHECK(limit_bytes >= 0, "cache limit must be >= 0, got ", limit_bytes);
    std::lock_guard<std::mutex> lock(install_mutex);
    CachingCpuAllocator* current = instance.load(std::memory_order_acquire);
    if (!current) {
      current = new CachingCpuAllocator(c10::GetCPUAllocator());
      current->set_limit(static_cast<size_t>(limit_bytes));
      instance.store(current, std::memory_order_release);
      c10::SetCPUAllocator(current, /*priority*/ 10);
      TORCH_CHECK(c10::GetCPUAllocator() == current, "a CPU allocator with a higher priority is installed");
    } else {
      current->set_limit(static_cast<size_t>(limit_bytes));
    }
    return KT_OK;)
}

// Frees every cached block (blocks in use are untouched). A no-op before kt_cpu_cache_enable.
KT_API int32_t kt_cpu_cache_release() {
  KT_GUARD(KT_FAIL,
    if (CachingCpuAllocator* current = instance.load(std::memory_order_acquire)) current->release();
    return KT_OK;)
}

// cached: bytes held in free lists; allocated: bytes of cached-class blocks in use; hits/misses: large requests
// served from / not from the cache. All zero before kt_cpu_cache_enable. Any out-pointer may be null.
KT_API int32_t kt_cpu_cache_stats(int64_t* cached_bytes, int64_t* allocated_bytes, int64_t* hits, int64_t* misses) {
  KT_GUARD(KT_FAIL,
    if (CachingCpuAllocator* current = instance.load(std::memory_order_acquire)) {
      current->stats(cached_bytes, allocated_bytes, hits, misses);
    } else {
      if (cached_bytes) *cached_bytes = 0;
      if (allocated_bytes) *allocated_bytes = 0;
      if (hits) *hits = 0;
      if (misses) *misses = 0;
    }
    return KT_OK;)
}
