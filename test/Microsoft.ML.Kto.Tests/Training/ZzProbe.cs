using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Data;
namespace Microsoft.ML.Kto.Tests.Training;
[TestClass]
public sealed class ZzProbe
{
    [TestMethod]
    public void Probe()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var f = TinyKtoFixtures.Create();
        Console.WriteLine($"create {sw.ElapsedMilliseconds}ms vocab {f.Tokenizer.VocabSize} eos {f.Tokenizer.EosTokenId} pad {f.Tokenizer.PadTokenId}");
        var e = f.Encoder();
        var p = e.EncodePrompt(KtoContent.FromText("The sky is"));
        var full = e.EncodePromptAndCompletion(KtoContent.FromText("The sky is"), KtoContent.FromText(" the blue."));
        Console.WriteLine(string.Join(",", p) + " | " + string.Join(",", full));
        var msgs = KtoContent.FromMessages((JsonArray)JsonNode.Parse("""[{"role":"user","content":"Hi"}]""")!);
        var comp = KtoContent.FromMessages((JsonArray)JsonNode.Parse("""[{"role":"assistant","content":"Hello"}]""")!);
        var tools = (JsonArray)JsonNode.Parse("""[{"type":"function","function":{"name":"get_weather"}}]""")!;
        Console.WriteLine(f.Tokenizer.Decode(e.EncodePrompt(msgs, tools, new JsonObject { ["greeting"] = "Howdy" })));
        Console.WriteLine(f.Tokenizer.Decode(e.EncodePromptAndCompletion(msgs, comp)));
        sw.Restart();
        using var m = f.LoadModel();
        Console.WriteLine($"load {sw.ElapsedMilliseconds}ms");
    }
}
