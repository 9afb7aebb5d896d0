using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// Pre-allocated key/value cache [B, kv_heads, capacity, head_dim] per layer: a decoding step writes
/// into it in place, so generation allocates nothing per token beyond the step's temporaries.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;
    private readonly int _layers;

    /// <summary>Allocates the cache for a batch and a maximum total length (prompt + new tokens).</summary>
    public KvCache(ModelConfig config, long batch, long capacity, ScalarType dtype, Device device)
    {
        _layers = config.NumHiddenLayers;
        Capacity = capacity;
        long[] shape = [batch, config.NumKeyValueHeads, capacity, config.HeadDim];
        _keys = Enumerable.Range(0, _layers).Select(_ => zeros(shape, dtype, device).DetachFromDisposeScope()).ToArray();
        _values = Enumerable.Range(0, _layers).Select(_ => zeros(shape, dtype, device).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Positions held so far.</summary>
    public long Length { get; private set; }

    /// <summary>Maximum positions.</summary>
    public long Capacity { get; }

    /// <summary>Stores the new keys/values of a layer and returns views of everything cached for it.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var added = keys.shape[2];
        if (Length + added > Capacity)
        {
            throw new InvalidOperationException($"The KV cache holds {Capacity} positions; {Length + added} were needed.");
        }

        using (no_grad())
        {
            _keys[layer].narrow(2, Length, added).copy_(keys);
            _values[layer].narrow(2, Length, added).copy_(values);
        }
        if (layer == _layers - 1)
        {
            Length += added;
        }

        var total = layer == _layers - 1 ? Length : Length + added;
        return (_keys[layer].narrow(2, 0, total), _values[layer].narrow(2, 0, total));
    }

    /// <summary>Frees the cache.</summary>
    public void Dispose()
    {
        foreach (var t in _keys)
        {
            t.Dispose();
        }

        foreach (var t in _values)
        {
            t.Dispose();
        }
    }
}
