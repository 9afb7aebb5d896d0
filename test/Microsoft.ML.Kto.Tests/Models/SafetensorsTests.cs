using System.Text;
using Microsoft.ML.Kto.Models.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Tests.Models;

[TestClass]
public sealed class SafetensorsTests
{
    private string _dir = "";

    [TestInitialize]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("kto-st-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [TestMethod]
    public void RoundTripIsBitExactForEveryDtype()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var source = randn([3, 5], generator: g);
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = source,
            ["f16"] = source.to(ScalarType.Float16),
            ["bf16"] = source.to(ScalarType.BFloat16),
            ["f64"] = source.to(ScalarType.Float64),
            ["i64"] = arange(-3, 9).view(3, 4),
            ["i32"] = arange(0, 4, dtype: ScalarType.Int32),
            ["scalar"] = tensor(2.5),
        };
        var path = Path.Combine(_dir, "all.safetensors");
        SafetensorsIO.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        using var file = SafetensorsFile.Open(path);
        Assert.AreEqual("pt", file.Metadata["format"]);
        foreach (var (name, expected) in tensors)
        {
            var loaded = file.Read(name);
            Assert.AreEqual(expected.dtype, loaded.dtype, name);
            CollectionAssert.AreEqual(expected.shape, loaded.shape, name);
            CollectionAssert.AreEqual(Bytes(expected), Bytes(loaded), name);
        }
        Assert.AreEqual(0, Directory.GetFiles(_dir, "*.tmp-*").Length, "no temporary file is left behind");
    }

    [TestMethod]
    public void ReadCastsOnLoad()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "bf16.safetensors");
        SafetensorsIO.Write(path, new Dictionary<string, Tensor> { ["w"] = tensor([1.5f, -3], [2]).to(ScalarType.BFloat16) });
        var loaded = SafetensorsIO.ReadAll(path, ScalarType.Float32)["w"];
        CollectionAssert.AreEqual(new float[] { 1.5f, -3 }, loaded.data<float>().ToArray());
    }

    [TestMethod]
    public void HeaderMatchesTheFormatByteForByte()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "one.safetensors");
        SafetensorsIO.Write(path, new Dictionary<string, Tensor> { ["a"] = tensor([1f], [1]) });
        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToInt64(bytes, 0);
        Assert.AreEqual(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' ');
        Assert.AreEqual("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header);
        Assert.AreEqual(8 + headerLength + 4, bytes.Length);
        Assert.AreEqual(1f, BitConverter.ToSingle(bytes, (int)(8 + headerLength)));
    }

    [TestMethod]
    public void TruncatedFileNamesTheTensorAndTheCause()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "t.safetensors");
        SafetensorsIO.Write(path, new Dictionary<string, Tensor> { ["weight"] = ones([64]) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(path));
        StringAssert.Contains(e.Message, "'weight'");
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void GarbageHeadersGiveClearErrors()
    {
        var garbageLength = Path.Combine(_dir, "g1.safetensors");
        File.WriteAllBytes(garbageLength, Enumerable.Repeat((byte)0xFF, 64).ToArray());
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(garbageLength)).Message, "header length");

        var notJson = Path.Combine(_dir, "g2.safetensors");
        File.WriteAllBytes(notJson, [.. BitConverter.GetBytes(8L), .. "{not json"u8.ToArray()[..8]]);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(notJson)).Message, "not valid JSON");

        var tiny = Path.Combine(_dir, "g3.safetensors");
        File.WriteAllBytes(tiny, [1, 2, 3]);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(tiny)).Message, "fewer than");

        var badDtype = Path.Combine(_dir, "g4.safetensors");
        var json = "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}"u8.ToArray();
        File.WriteAllBytes(badDtype, [.. BitConverter.GetBytes((long)json.Length), .. json, 0]);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(badDtype)).Message, "unsupported dtype 'F8_E4M3'");

        var wrongSpan = Path.Combine(_dir, "g5.safetensors");
        json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}"u8.ToArray();
        File.WriteAllBytes(wrongSpan, [.. BitConverter.GetBytes((long)json.Length), .. json, 0, 0, 0, 0]);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(wrongSpan)).Message, "needs 8 bytes");
    }

    private string RawFile(string name, string header, int dataBytes)
    {
        var path = Path.Combine(_dir, name);
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, .. new byte[dataBytes]]);
        return path;
    }

    [TestMethod]
    public void TensorsMustTileTheDataSectionAsTheReferenceLibraryRequires()
    {
        var overlap = RawFile("overlap.safetensors",
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8);
        var e = Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(overlap));
        StringAssert.Contains(e.Message, "must not overlap");
        StringAssert.Contains(e.Message, "overlap.safetensors");

        var gap = RawFile("gap.safetensors",
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(gap)).Message, "must be contiguous");

        var trailing = RawFile("trailing.safetensors", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 12);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(trailing)).Message, "no tensor accounts for");

        var huge = RawFile("huge.safetensors", """{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}""", 0);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(huge)).Message, "more elements than any file");

        var zeroSized = RawFile("empty-tensor.safetensors",
            """{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4);
        using var file = SafetensorsFile.Open(zeroSized);
        Assert.AreEqual(2, file.Entries.Count, "an empty tensor takes no bytes and may share its offset");
    }

    [TestMethod]
    public void HeadersTheFuzzerBrokeAreRejectedByName()
    {
        // build/fuzz found these: System.Text.Json checks UTF-8 only when a string is read, and __metadata__ was
        // enumerated without checking it is an object.
        var path = Path.Combine(_dir, "utf8.safetensors");
        var json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"\u00ff\":1}"u8.ToArray();
        json[^6] = 0x9D;   // the lead byte of ÿ becomes a lone continuation byte inside the key
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, 0, 0, 0, 0]);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(path)).Message, "not valid UTF-8");

        var metadataArray = RawFile("meta1.safetensors", """{"__metadata__":[1],"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(metadataArray)).Message, "__metadata__ is not a JSON object");
        var metadataNumber = RawFile("meta2.safetensors", """{"__metadata__":{"format":1},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => SafetensorsFile.Open(metadataNumber)).Message, "'format' is not a string");
    }

    [TestMethod]
    public void MissingTensorIsNamed()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "m.safetensors");
        SafetensorsIO.Write(path, new Dictionary<string, Tensor> { ["a"] = ones([1]) });
        using var file = SafetensorsFile.Open(path);
        StringAssert.Contains(Assert.ThrowsException<SafetensorsException>(() => file.Read("b")).Message, "'b'");
    }

    private static byte[] Bytes(Tensor t) => t.contiguous().bytes.ToArray();
}
