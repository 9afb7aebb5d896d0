using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models.Lora;

/// <summary>
/// One module per adapter name, registered under that name, so that parameters carry PEFT's in-memory names
/// (<c>q_proj.lora_A.default.weight</c>). Unlike TorchSharp's <c>ModuleDict</c>, which registers its entries once, when
/// it is itself registered, adapters can be added and removed here after the model is built, as PEFT's are.
/// </summary>
internal sealed class AdapterSlots : nn.Module
{
    private readonly Dictionary<string, nn.Module> _modules = new(StringComparer.Ordinal);

    public AdapterSlots() : base(nameof(AdapterSlots))
    {
    }

    public bool IsEmpty => _modules.Count == 0;

    public void Add(string adapter, nn.Module module)
    {
        register_module(adapter, module);
        _modules.Add(adapter, module);
    }

    public T? Get<T>(string adapter) where T : nn.Module => _modules.TryGetValue(adapter, out var module) ? (T)module : null;

    /// <summary>Unregisters and frees the adapter's module.</summary>
    public void Remove(string adapter)
    {
        if (!_modules.Remove(adapter, out var module))
        {
            return;
        }

        register_module(adapter, null!); // TorchSharp's way to unregister a child
        module.Dispose();
    }
}
