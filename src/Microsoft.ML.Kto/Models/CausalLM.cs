using Microsoft.ML.Kto.Models.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

public sealed partial class CausalLM : IGradientCheckpointing
{
    /// <inheritdoc/>
    public ModelConfig Config { get; }

    /// <inheritdoc/>
    public ScalarType DType { get; }

    /// <inheritdoc/>
    public Device Device { get; }

    /// <summary>Parameters by Hugging Face name, in module order (what <c>named_parameters()</c> yields).</summary>
    public IReadOnlyDictionary<string, Parameter> Parameters =>
        named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);

    /// <summary>Loads a Hugging Face model directory (config.json + safetensors); see <see cref="ModelLoader"/>.</summary>
    public static CausalLM FromPretrained(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        ModelLoader.Load(directory, dtype, device ?? CPU);

    /// <summary>A randomly initialised model (HF's init: matrices N(0, initializer_range), norms 1, biases 0).</summary>
    public static CausalLM FromConfig(ModelConfig config, ulong seed, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        ModelLoader.Initialize(config, seed, dtype, device ?? CPU);

    /// <summary>An uninitialised model (parameters hold whatever memory held); loaders fill it.</summary>
    internal static CausalLM Empty(ModelConfig config, ScalarType dtype, Device device) => new(config, dtype, device);

    /// <inheritdoc/>
    public nn.Module Module => this;

    /// <inheritdoc/>
    public bool GradientCheckpointing
    {
        get => _model.GradientCheckpointing;
        set => _model.GradientCheckpointing = value;
    }

    /// <summary>The LoRA adapters attached to this model (see <see cref="LoraModel"/>), or null for a plain model.</summary>
    public LoraModel? Lora { get; internal set; }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Lora?.Dispose();
        }

        base.Dispose(disposing);
    }
}
