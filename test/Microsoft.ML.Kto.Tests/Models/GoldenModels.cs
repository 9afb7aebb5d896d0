using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Safetensors;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>
/// The tiny random models and reference outputs made by build/golden/models/make_golden.py, on the device named by
/// KTO_TEST_DEVICE (cpu by default; build/gpu-check.sh runs these tests on cuda).
/// </summary>
internal static class GoldenModels
{
    public static readonly string[] Cases = ["llama", "llama3_rope", "qwen2", "qwen3", "mistral", "qwen2_bf16"];

    public static Device Device { get; } = TorchTypes.ParseDevice(Environment.GetEnvironmentVariable("KTO_TEST_DEVICE") ?? "cpu");

    public static string Directory(string name) => RepoPaths.TestData(Path.Combine("models", name));

    public static CausalLM Load(string name, ScalarType dtype = ScalarType.Float32) => CausalLM.FromPretrained(Directory(name), dtype, Device);

    public static Dictionary<string, Tensor> Expected(string name) =>
        SafetensorsIO.ReadAll(Path.Combine(Directory(name), "expected.safetensors"), device: Device);
}
