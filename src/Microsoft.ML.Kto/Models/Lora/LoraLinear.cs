using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models.Lora;

/// <summary>
/// The LoRA adapters of one linear layer (PEFT's <c>lora.Linear</c>): y = x Wᵀ + b + s · B(A(dropout(x))) for the active
/// adapter, where A [r, in] and B [out, r] are registered on the layer as <c>lora_A.{adapter}</c> and
/// <c>lora_B.{adapter}</c>. As PEFT's default (<c>autocast_adapter_dtype</c>), adapters are float32 whatever the base
/// dtype, and the update is added in float32 and cast back.
/// </summary>
internal sealed class LoraLinear
{
    private readonly Linear _base;
    private readonly LoraModel _owner;
    private readonly AdapterSlots _a = new(), _b = new();
    private readonly Dictionary<string, (double Scaling, double Dropout)> _settings = new(StringComparer.Ordinal);

    /// <summary>Registers the adapter containers on <paramref name="baseLayer"/> and hooks them into its forward.</summary>
    public LoraLinear(Linear baseLayer, LoraModel owner)
    {
        _base = baseLayer;
        _owner = owner;
        baseLayer.register_module("lora_A", _a);
        baseLayer.register_module("lora_B", _b);
        baseLayer.Lora = this;
    }

    public bool IsEmpty => _settings.Count == 0;

    public bool Has(string adapter) => _settings.ContainsKey(adapter);

    /// <summary>A [r, in] of an adapter.</summary>
    public Linear A(string adapter) => _a.Get<Linear>(adapter)!;

    /// <summary>B [out, r] of an adapter.</summary>
    public Linear B(string adapter) => _b.Get<Linear>(adapter)!;

    /// <summary>Adds an adapter with uninitialised A and B (the caller initialises or loads them).</summary>
    public void Add(string adapter, int r, double scaling, double dropout)
    {
        var device = _base.Weight.device;
        long inFeatures = _base.Weight.shape[1], outFeatures = _base.Weight.shape[0];
        _a.Add(adapter, new Linear(inFeatures, r, hasBias: false, ScalarType.Float32, device));
        _b.Add(adapter, new Linear(r, outFeatures, hasBias: false, ScalarType.Float32, device));
        _settings.Add(adapter, (scaling, dropout));
    }

    public void Remove(string adapter)
    {
        _a.Remove(adapter);
        _b.Remove(adapter);
        _settings.Remove(adapter);
    }

    /// <summary>Unregisters the adapter containers from the layer, which is plain again.</summary>
    public void Detach()
    {
        _base.Lora = null;
        _base.register_module("lora_A", null!);
        _base.register_module("lora_B", null!);
        _a.Dispose();
        _b.Dispose();
    }

    /// <summary>The base layer's output <paramref name="y"/> plus the active adapter's update of input <paramref name="x"/>.</summary>
    public Tensor AddUpdate(Tensor y, Tensor x)
    {
        if (_owner.ActiveAdapter is not { } adapter || !_settings.TryGetValue(adapter, out var settings))
        {
            return y;
        }

        var input = Dropout(x.to(ScalarType.Float32), settings.Dropout);
        var update = nn.functional.linear(nn.functional.linear(input, A(adapter).Weight), B(adapter).Weight);
        return y.add(update, alpha: settings.Scaling).to(y.dtype);
    }

    // PEFT's nn.Dropout on the adapter's input: only where gradients flow (the policy's training pass) and the module is
    // in training mode, drawn from the model's own generator so runs are reproducible and resumable.
    private Tensor Dropout(Tensor x, double p)
    {
        if (p == 0 || !is_grad_enabled() || !_base.training)
        {
            return x;
        }

        var keep = empty_like(x).bernoulli_(1 - p, _owner.DropoutGenerator);
        return x * keep.div_(1 - p);
    }

    /// <summary>W += s · B·A (PEFT's merge), computed in float32 and cast to the base dtype.</summary>
    public void Merge(string adapter)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var delta = B(adapter).Weight.matmul(A(adapter).Weight).mul_(_settings[adapter].Scaling);
        _base.Weight.copy_(_base.Weight.to(ScalarType.Float32).add_(delta));
    }
}
