using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models.Safetensors;

/// <summary>
/// Raw bytes in and out of CPU tensors in chunks of at most 1 GiB, because TorchSharp exposes a tensor's memory as a
/// <see cref="Span{T}"/> (2 GiB at most) and a float32 Llama-3-8B embedding alone is 2.1 GB.
/// </summary>
internal static class TensorBytes
{
    /// <summary>Largest piece copied at once (a Span holds at most 2 GiB); settable so tests cover the multi-piece path.</summary>
    internal static long ChunkBytes { get; set; } = 1L << 30;

    /// <summary>Writes a tensor's elements (row-major, little-endian as in memory) to <paramref name="stream"/>.</summary>
    public static void WriteTo(Tensor tensor, Stream stream)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().reshape(-1);
        foreach (var chunk in Chunks(flat))
        {
            stream.Write(chunk.bytes);
        }
    }

    /// <summary>Copies <paramref name="source"/> (exactly the tensor's byte size) into a contiguous CPU tensor.</summary>
    public static unsafe void CopyInto(Tensor destination, byte* source, long byteCount)
    {
        var flat = destination.reshape(-1);
        using (flat)
        {
            long offset = 0;
            foreach (var chunk in Chunks(flat))
            {
                using (chunk)
                {
                    var target = chunk.bytes;
                    new ReadOnlySpan<byte>(source + offset, target.Length).CopyTo(target);
                    offset += target.Length;
                }
            }
            if (offset != byteCount)
            {
                throw new InvalidOperationException($"Copied {offset} bytes into a tensor of {byteCount}.");
            }
        }
    }

    // Consecutive views of a flat contiguous tensor, each at most ChunkBytes long.
    private static IEnumerable<Tensor> Chunks(Tensor flat)
    {
        var total = flat.shape[0];
        var perChunk = Math.Max(1, ChunkBytes / flat.dtype.ElementSize());
        for (long start = 0; start < total; start += perChunk)
        {
            yield return flat.narrow(0, start, Math.Min(perChunk, total - start));
        }
    }
}
