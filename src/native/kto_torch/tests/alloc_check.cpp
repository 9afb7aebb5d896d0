// Checks of the caching CPU allocator (kt_cpu_cache_*) and kt_selective_log_softmax_with_stats, through the
// shim's C ABI. Build: cmake --build <dir> --target kt_alloc_check; exits non-zero on the first failed check.
#include <ATen/ATen.h>
#include <c10/core/CPUAllocator.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

typedef at::Tensor* kt_tensor;
extern "C" {
int32_t kt_cpu_cache_enable(int64_t limit_bytes);
int32_t kt_cpu_cache_release();
int32_t kt_cpu_cache_stats(int64_t* cached_bytes, int64_t* allocated_bytes, int64_t* hits, int64_t* misses);
kt_tensor kt_selective_log_softmax(kt_tensor logits, kt_tensor targets);
kt_tensor kt_selective_log_softmax_with_stats(kt_tensor logits, kt_tensor targets, kt_tensor* entropy_out,
                                              kt_tensor* mean_logit_out);
void kt_free(kt_tensor t);
char* kt_take_error();
void kt_free_string(char* text);
}

static int failures = 0;

#define EXPECT(cond, ...)                                      \
  do {                                                        \
    if (!(cond)) {                                            \
      std::printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      std::printf(__VA_ARGS__);                               \
      std::printf("\n");                                      \
      ++failures;                                             \
    }                                                         \
  } while (0)

static void ok(int32_t status, const char* what) {
  if (status == 1) return;
  char* message = kt_take_error();
  std::printf("FAIL %s: %s\n", what, message ? message : "(no message)");
  kt_free_string(message);
  std::exit(1);
}

struct Stats {
  int64_t cached = 0, allocated = 0, hits = 0, misses = 0;
};

static Stats stats() {
  Stats s;
  ok(kt_cpu_cache_stats(&s.cached, &s.allocated, &s.hits, &s.misses), "kt_cpu_cache_stats");
  return s;
}

// 20 iterations of allocating and filling a [1536, 32000] float32 tensor (196 MB); returns ms per iteration.
static double time_alloc_fill() {
  for (int i = 0; i < 2; ++i) at::empty({1536, 32000}).fill_(1.0f);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    at::Tensor t = at::empty({1536, 32000});
    t.fill_(static_cast<float>(i));
  }
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / 20;
}

static void check_allocator() {
  const int64_t limit = int64_t{512} << 20;
  ok(kt_cpu_cache_enable(limit), "kt_cpu_cache_enable");
  ok(kt_cpu_cache_release(), "kt_cpu_cache_release");
  Stats before = stats();
  EXPECT(before.cached == 0, "cached %lld after release", (long long)before.cached);

  // Repeating sizes (bytes): one below the threshold, several above (the last is the logits of a step).
  const std::vector<int64_t> sizes = {100000, 300000, 1 << 20, 5000000, 64 << 20, 196608000};
  int64_t last_hits = before.hits;
  for (int round = 0; round < 5; ++round) {
    {
      std::vector<at::Tensor> live;
      for (int64_t bytes : sizes) live.push_back(at::empty({bytes}, at::kByte).fill_(round));
      Stats s = stats();
      EXPECT(s.allocated > 0, "allocated %lld with large tensors alive", (long long)s.allocated);
      for (const at::Tensor& t : live) EXPECT(t[t.numel() - 1].item<int64_t>() == round, "contents");
    }
    Stats s = stats();
    EXPECT(s.cached <= limit, "cached %lld > limit %lld", (long long)s.cached, (long long)limit);
    EXPECT(s.allocated == 0, "allocated %lld after all freed", (long long)s.allocated);
    if (round > 0) EXPECT(s.hits >= last_hits + 5, "round %d: hits %lld -> %lld", round, (long long)last_hits, (long long)s.hits);
    last_hits = s.hits;
  }
  Stats after = stats();
  std::printf("allocator: hits %lld misses %lld cached %lld bytes (limit %lld)\n", (long long)(after.hits - before.hits),
              (long long)(after.misses - before.misses), (long long)after.cached, (long long)limit);

  // A limit smaller than the working set: the cache never holds more than it.
  const int64_t small_limit = 3 << 20;
  ok(kt_cpu_cache_enable(small_limit), "kt_cpu_cache_enable(small)");
  EXPECT(stats().cached <= small_limit, "cached %lld after lowering the limit", (long long)stats().cached);
  for (int round = 0; round < 3; ++round) {
    { std::vector<at::Tensor> live; for (int64_t bytes : sizes) live.push_back(at::empty({bytes}, at::kByte)); }
    EXPECT(stats().cached <= small_limit, "cached %lld > small limit", (long long)stats().cached);
  }
  ok(kt_cpu_cache_enable(limit), "kt_cpu_cache_enable(restore)");

  // The raw interface (oneDNN uses it) for a small and a large block.
  c10::Allocator* allocator = c10::GetCPUAllocator();
  EXPECT(allocator->raw_deleter() != nullptr, "raw_deleter is null");
  for (size_t bytes : {size_t{1000}, size_t{4} << 20}) {
    void* p = allocator->raw_allocate(bytes);
    static_cast<char*>(p)[bytes - 1] = 1;
    allocator->raw_deallocate(p);
  }

  // Frees from several threads at once.
  std::vector<std::thread> threads;
  std::atomic<int64_t> sum{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &sum] {
      for (int i = 0; i < 200; ++i) {
        at::Tensor a = at::full({(300000 + 70000 * ((i + t) % 7)) / 4}, 1.0f);
        at::Tensor b = at::full({1000}, 1.0f);
        sum += static_cast<int64_t>(a.sum().item<float>() > 0) + static_cast<int64_t>(b.sum().item<float>() > 0);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT(sum == 4 * 200 * 2, "threaded sum %lld", (long long)sum.load());
  Stats threaded = stats();
  EXPECT(threaded.cached <= limit && threaded.allocated == 0, "after threads: cached %lld allocated %lld",
        (long long)threaded.cached, (long long)threaded.allocated);

  ok(kt_cpu_cache_release(), "kt_cpu_cache_release");
  EXPECT(stats().cached == 0, "cached %lld after release", (long long)stats().cached);
}

static double max_diff(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kFloat) - b.to(at::kFloat)).abs().max().item<double>();
}

static bool close(const at::Tensor& a, const at::Tensor& b) {
  return at::allclose(a.to(at::kFloat), b.to(at::kFloat), 1e-5, 1e-5);
}

static void check_stats(at::IntArrayRef shape, at::ScalarType dtype) {
  std::vector<int64_t> lead(shape.begin(), shape.end() - 1);
  const int64_t vocab = shape.back();
  at::Tensor logits = (at::randn(shape) * 3).to(dtype).requires_grad_(true);
  at::Tensor targets = at::randint(vocab, lead, at::kLong);
  at::Tensor weights = at::randn(lead);

  kt_tensor entropy_h = nullptr, mean_h = nullptr;
  kt_tensor fused_h = kt_selective_log_softmax_with_stats(&logits, &targets, &entropy_h, &mean_h);
  ok(fused_h ? 1 : 0, "kt_selective_log_softmax_with_stats");
  at::Tensor fused = *fused_h, entropy = *entropy_h, mean = *mean_h;
  kt_free(fused_h);
  kt_free(entropy_h);
  kt_free(mean_h);

  at::Tensor l = logits.detach().to(at::kFloat);
  at::Tensor log_sm = at::log_softmax(l, -1);
  at::Tensor want_entropy = -(at::softmax(l, -1) * log_sm).sum(-1);
  at::Tensor want_mean = l.mean(-1);
  at::Tensor want_logp = log_sm.gather(-1, targets.unsqueeze(-1)).squeeze(-1);

  EXPECT(fused.scalar_type() == at::kFloat && entropy.scalar_type() == at::kFloat && mean.scalar_type() == at::kFloat,
        "dtypes");
  EXPECT(fused.sizes() == at::IntArrayRef(lead) && entropy.sizes() == at::IntArrayRef(lead) &&
            mean.sizes() == at::IntArrayRef(lead), "shapes");
  EXPECT(fused.requires_grad() && !entropy.requires_grad() && !mean.requires_grad(), "requires_grad");
  EXPECT(close(fused, want_logp), "log p diff %g", max_diff(fused, want_logp));
  EXPECT(close(entropy, want_entropy), "entropy diff %g", max_diff(entropy, want_entropy));
  EXPECT(close(mean, want_mean), "mean diff %g", max_diff(mean, want_mean));

  // Gradients against kt_selective_log_softmax.
  at::Tensor grad_fused = torch::autograd::grad({(fused * weights).sum()}, {logits})[0];
  kt_tensor plain_h = kt_selective_log_softmax(&logits, &targets);
  ok(plain_h ? 1 : 0, "kt_selective_log_softmax");
  at::Tensor plain = *plain_h;
  kt_free(plain_h);
  EXPECT(max_diff(plain, fused) == 0, "log p vs kt_selective_log_softmax %g", max_diff(plain, fused));
  at::Tensor grad_plain = torch::autograd::grad({(plain * weights).sum()}, {logits})[0];
  EXPECT(close(grad_fused, grad_plain), "grad diff %g", max_diff(grad_fused, grad_plain));

  std::printf("stats %s %s: |dlogp| %.2g |dentropy| %.2g |dmean| %.2g |dgrad| %.2g\n", c10::toString(dtype),
              c10::str(shape).c_str(), max_diff(fused, want_logp), max_diff(entropy, want_entropy),
              max_diff(mean, want_mean), max_diff(grad_fused, grad_plain));
}

int main() {
  at::manual_seed(0);
  double without_cache = time_alloc_fill();
  ok(kt_cpu_cache_enable(int64_t{1} << 30), "kt_cpu_cache_enable");
  double with_cache = time_alloc_fill();
  std::printf("alloc+fill [1536, 32000] float32, mean of 20: without cache %.2f ms, with cache %.2f ms\n",
              without_cache, with_cache);

  check_allocator();
  for (at::ScalarType dtype : {at::kFloat, at::kBFloat16}) {
    check_stats({300, 1000}, dtype);
    check_stats({2, 150, 32000}, dtype);
    check_stats({1000}, dtype);
  }
  // The fused op without the cache's help is the same op; rerun once after a release for good measure.
  ok(kt_cpu_cache_release(), "kt_cpu_cache_release");

  std::printf(failures ? "%d FAILED\n" : "all checks passed\n", failures);
  return failures ? 1 : 0;
}
