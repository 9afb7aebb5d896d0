using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Models.Safetensors;

/// <summary>Reads and writes Hugging Face safetensors files.</summary>
public static class SafetensorsIO
{
    /// <summary>Loads every tensor of a file (owned by the caller or the current dispose scope).</summary>
    public static Dictionary<string, Tensor> ReadAll(string path, ScalarType? dtype = null, Device? device = null)
    {
        using var file = SafetensorsFile.Open(path);
        return file.Entries.Keys.ToDictionary(name => name, name => file.Read(name, dtype, device), StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes the tensors in the given order with an optional <c>__metadata__</c>. The file is written
    /// beside the target and renamed into place, so a failure never leaves a half-written file.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = BuildHeader(list, metadata);
        var temporary = path + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BitConverter.TryWriteBytes(length, (long)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var (_, tensor) in list)
                {
                    TensorBytes.WriteTo(tensor, stream);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata)
                {
                    json.WriteString(k, v);
                }

                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                var dtype = tensor.dtype;
                var size = tensor.NumberOfElements * dtype.ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsEntry.DTypeCode(dtype));
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // Readers expect the data section 8-byte aligned; the format pads the header with spaces.
        var text = buffer.ToArray();
        var padded = (text.Length + 7) / 8 * 8;
        var header = new byte[padded];
        text.CopyTo(header, 0);
        for (var i = text.Length; i < padded; i++)
        {
            header[i] = (byte)' ';
        }

        return header;
    }
}
