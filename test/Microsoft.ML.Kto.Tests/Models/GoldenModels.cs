using Microsoft.ML.Kto.Models;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.ML.Kto.Models.Safetensors;

namespace Microsoft.ML.Kto.Tests.Models;

/// <summary>The tiny random models and reference outputs made by build/golden/models/make_golden.py.</summary>
internal static class GoldenModels
{
    public static readonly string[] Cases = ["llama", "llama3_rope", "qwen2", "qwen3", "mistral", "qwen2_bf16"];

    public static string Directory(string name) => RepoPaths.TestData(Path.Combine("models", name));

    public static CausalLM Load(string name) => CausalLM.FromPretrained(Directory(name), ScalarType.Float32);

    public static Dictionary<string, Tensor> Expected(string name) =>
        SafetensorsIO.ReadAll(Path.Combine(Directory(name), "expected.safetensors"));
}
