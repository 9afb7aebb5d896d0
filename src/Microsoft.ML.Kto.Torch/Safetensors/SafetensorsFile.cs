using System.IO.MemoryMappedFiles;

namespace Microsoft.ML.Kto.Torch.Safetensors;

/// <summary>
/// An open safetensors file. The file is memory-mapped: a tensor's bytes are copied straight from
/// the mapping into libtorch, never through a whole-file managed array.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _dataStart;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataStart,
        Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _map = map;
        _view = view;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Header entries by tensor name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates a file.</summary>
    public static SafetensorsFile Open(string path)
    {
        var length = new FileInfo(path).Length;
        if (length < 8) throw SafetensorsHeader.Error(path, $"the file has {length} bytes, fewer than the 8-byte header length");
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            var headerLength = view.ReadInt64(0);
            if (headerLength <= 0 || headerLength > SafetensorsHeader.MaxHeaderBytes || headerLength > length - 8)
                throw SafetensorsHeader.Error(path, $"the header length field says {headerLength} bytes, but the file has {length} bytes (garbage or truncated header)");
            var header = new byte[headerLength];
            view.ReadArray(8, header, 0, header.Length);
            var dataStart = 8 + headerLength;
            var (entries, metadata) = SafetensorsHeader.Parse(header, length - dataStart, path);
            return new SafetensorsFile(path, map, view, dataStart, entries, metadata);
        }
        catch
        {
            view.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>Loads a tensor, optionally converting its dtype and moving it to a device.</summary>
    public unsafe Tensor Read(string name, DType? dtype = null, Device? device = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new SafetensorsException($"'{Path}' has no tensor named '{name}'.");
        var byteCount = entry.End - entry.Begin;
        if (byteCount > int.MaxValue)
            throw new SafetensorsException($"Tensor '{name}' in '{Path}' has {byteCount} bytes; tensors over 2 GiB are not supported.");
        byte* basePointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
        try
        {
            var bytes = new ReadOnlySpan<byte>(basePointer + _view.PointerOffset + _dataStart + entry.Begin, (int)byteCount);
            var loaded = Tensor.FromBytes(bytes, entry.Shape, entry.DType);
            var targetDevice = device ?? Device.Cpu;
            var targetDType = dtype ?? entry.DType;
            if (targetDType == entry.DType && targetDevice == Device.Cpu) return loaded;
            using (loaded) return loaded.To(targetDevice, targetDType);
        }
        finally
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }
}
