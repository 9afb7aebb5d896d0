// Binding overhead benchmark: float32 matmul throughput and the cost of one tiny op through the binding.
// build/bench-binding.sh runs it next to src/native/kto_torch/bench/direct_bench.cpp (libtorch called directly).
using System.Diagnostics;
using Microsoft.ML.Kto.Torch;

TorchRuntime.UseAllCoresUnlessConfigured();
const long n = 1024;
using var scope = DisposeScope.Open();
using var generator = new Generator(0);
var a = Tensor.Randn([n, n], generator);
var b = Tensor.Randn([n, n], generator);
for (var i = 0; i < 3; i++) a.Matmul(b).Dispose();
var times = new List<double>();
for (var i = 0; i < 10; i++)
{
    var watch = Stopwatch.StartNew();
    a.Matmul(b).Dispose();
    times.Add(watch.Elapsed.TotalSeconds);
}
times.Sort();
var gflops = 2.0 * n * n * n / times[times.Count / 2] / 1e9;

var x = Tensor.Ones([1]);
const int ops = 200_000;
var opWatch = Stopwatch.StartNew();
for (var i = 0; i < ops; i++)
{
    var y = x + 1.0;
    y.Dispose();
}
var perOpUs = opWatch.Elapsed.TotalSeconds / ops * 1e6;
Console.WriteLine($"{{\"impl\": \"C# binding\", \"threads\": {TorchRuntime.NumThreads}, \"matmul_1024_gflops\": {gflops:F1}, \"tiny_op_us\": {perOpUs:F2}}}");
