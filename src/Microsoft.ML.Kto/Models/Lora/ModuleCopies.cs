using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models.Lora;

/// <summary>What <see cref="LoraModel"/> needs of a module's trainable copies, whatever the module type.</summary>
internal interface IModuleCopies
{
    bool IsEmpty { get; }

    nn.Module? Get(string adapter);

    void Remove(string adapter);

    /// <summary>Unregisters the copies from the module, which is plain again.</summary>
    void Detach();
}

/// <summary>
/// The trainable copies of one module listed in <see cref="LoraOptions.ModulesToSave"/> (PEFT's
/// <c>ModulesToSaveWrapper</c>), registered on it as <c>modules_to_save.{adapter}</c>: while an adapter with a copy is
/// active the copy runs instead of the module; with adapters off the original runs, so the reference keeps it.
/// </summary>
internal sealed class ModuleCopies<T> : IModuleCopies where T : nn.Module
{
    private const string SlotName = "modules_to_save";

    private readonly T _original;
    private readonly LoraModel _owner;
    private readonly Action<ModuleCopies<T>?> _setHook;
    private readonly AdapterSlots _copies = new();

    /// <summary>Registers the copies on <paramref name="original"/> and hooks them into its forward (through <paramref name="setHook"/>).</summary>
    public ModuleCopies(T original, LoraModel owner, Action<ModuleCopies<T>?> setHook)
    {
        _original = original;
        _owner = owner;
        _setHook = setHook;
        original.register_module(SlotName, _copies);
        setHook(this);
    }

    public bool IsEmpty => _copies.IsEmpty;

    /// <summary>The active adapter's copy, or null when the original should run.</summary>
    public T? Active => _owner.ActiveAdapter is { } adapter ? _copies.Get<T>(adapter) : null;

    public nn.Module? Get(string adapter) => _copies.Get<T>(adapter);

    public void Add(string adapter, T copy) => _copies.Add(adapter, copy);

    public void Remove(string adapter) => _copies.Remove(adapter);

    public void Detach()
    {
        _setHook(null);
        _original.register_module(SlotName, null!);
        _copies.Dispose();
    }
}
