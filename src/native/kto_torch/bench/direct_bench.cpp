// The same measurements as samples/TorchBench, calling libtorch directly from C++ (no shim, no P/Invoke):
// the baseline the binding's numbers are compared against.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

static double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int main() {
  at::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  const int64_t n = 1024;
  at::Tensor a = at::randn({n, n}), b = at::randn({n, n});
  for (int i = 0; i < 3; ++i) at::matmul(a, b);
  std::vector<double> times;
  for (int i = 0; i < 10; ++i) {
    auto start = std::chrono::steady_clock::now();
    at::Tensor c = at::matmul(a, b);
    times.push_back(seconds_since(start));
  }
  std::sort(times.begin(), times.end());
  double gflops = 2.0 * n * n * n / times[times.size() / 2] / 1e9;

  at::Tensor x = at::ones({1});
  const int ops = 200000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < ops; ++i) at::Tensor y = x + 1.0;
  double per_op_us = seconds_since(start) / ops * 1e6;
  std::printf("{\"impl\": \"libtorch C++\", \"threads\": %d, \"matmul_1024_gflops\": %.1f, \"tiny_op_us\": %.2f}\n",
              at::get_num_threads(), gflops, per_op_us);
  return 0;
}
