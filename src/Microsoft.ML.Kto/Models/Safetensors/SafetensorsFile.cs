using System.IO.MemoryMappedFiles;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models.Safetensors;

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
        if (length < 8)
        {
            throw SafetensorsHeader.Error(path, $"the file has {length} bytes, fewer than the 8-byte header length");
        }

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            var headerLength = view.ReadInt64(0);
            if (headerLength <= 0 || headerLength > SafetensorsHeader.MaxHeaderBytes || headerLength > length - 8)
            {
                throw SafetensorsHeader.Error(path, $"the header length field says {headerLength} bytes, but the file has {length} bytes (garbage or truncated header)");
            }

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
    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        var entry = Entry(name);
        var loaded = empty(entry.Shape, entry.DType);
        try
        {
            Fill(entry, loaded);
            var targetDevice = device ?? CPU;
            var targetDType = dtype ?? entry.DType;
            if (targetDType == entry.DType && targetDevice.type == DeviceType.CPU)
            {
                return loaded;
            }

            using (loaded)
            {
                return loaded.to(targetDType, targetDevice);
            }
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads a tensor straight into <paramref name="destination"/> (same shape; any dtype and device): bytes go from
    /// the mapped file into the destination's memory when it is a CPU tensor of the stored dtype, else through one
    /// temporary that is cast and copied.
    /// </summary>
    public void ReadInto(string name, Tensor destination)
    {
        var entry = Entry(name);
        if (!destination.shape.SequenceEqual(entry.Shape))
        {
            throw new SafetensorsException($"Tensor '{name}' in '{Path}' has shape [{string.Join(", ", entry.Shape)}]; the destination is [{string.Join(", ", destination.shape)}].");
        }

        if (destination.dtype == entry.DType && destination.device_type == DeviceType.CPU && destination.is_contiguous())
        {
            Fill(entry, destination);
            return;
        }
        using var loaded = Read(name);
        destination.copy_(loaded);
    }

    private SafetensorsEntry Entry(string name) =>
        Entries.TryGetValue(name, out var entry) ? entry : throw new SafetensorsException($"'{Path}' has no tensor named '{name}'.");

    private unsafe void Fill(SafetensorsEntry entry, Tensor destination)
    {
        byte* basePointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
        try
        {
            TensorBytes.CopyInto(destination, basePointer + _view.PointerOffset + _dataStart + entry.Begin, entry.End - entry.Begin);
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
