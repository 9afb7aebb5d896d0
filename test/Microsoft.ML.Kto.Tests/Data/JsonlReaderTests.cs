using Microsoft.ML.Kto.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Kto.Tests.Data;

[TestClass]
public sealed class JsonlReaderTests
{
    private const string GoodLine = """{"prompt": "p", "completion": "c", "label": true}""";

    [TestMethod]
    public void MalformedLineThreeIsNamedWithFileAndLine()
    {
        using var file = new TempJsonlFile($"{GoodLine}\n{GoodLine}\n{{\"prompt\": \"p\", \"completion\": }}\n{GoodLine}\n");

        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.LoadJsonl(file.Path));

        // The middle is System.Text.Json's own description of the problem.
        StringAssert.StartsWith(error.Message, $"Line 3 of '{file.Path}' is not valid JSON: ");
        StringAssert.EndsWith(error.Message, "(at byte offset 30 in the line). Each line must hold exactly one JSON object (JSON Lines).");
        Assert.AreEqual(3, error.SourceRow);
    }

    [TestMethod]
    public void ReadingIsLazy()
    {
        using var file = new TempJsonlFile($"{GoodLine}\nnot json\n");

        var first = JsonlReader.ReadObjects(file.Path).First();

        Assert.AreEqual(1, first.LineNumber);
        Assert.AreEqual("p", (string?)first.Value["prompt"]);
    }

    [TestMethod]
    public void LineThatIsNotAnObjectIsNamed()
    {
        using var file = new TempJsonlFile($"{GoodLine}\n[1, 2]\n");

        var error = Assert.ThrowsExactly<KtoDataException>(() => JsonlReader.ReadObjects(file.Path).ToList());

        Assert.AreEqual(
            $"Line 2 of '{file.Path}' holds [1,2], not a JSON object. Each line must hold one object whose keys are the column names.",
            error.Message);
    }

    [TestMethod]
    [DataRow("""{"prompt": "\ud800", "completion": "c", "label": true}""")]   // a value (build/fuzz found the preview below)
    [DataRow("""{"prompt": "p", "completion": "c\uDFFFx", "label": true}""")]
    [DataRow("\"\\ud800\"")]                                                          // a bare string, previewed in the message
    public void UnpairedSurrogateEscapesAreNamedNotCrashes(string line)
    {
        using var file = new TempJsonlFile($"{GoodLine}\n{line}\n");

        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.LoadJsonl(file.Path));

        Assert.AreEqual($"Line 2 of '{file.Path}' holds a string with an unpaired UTF-16 surrogate escape (such as \\ud800 without its low half); text must be valid Unicode.", error.Message);
        Assert.AreEqual(2, error.SourceRow);
    }

    [TestMethod]
    public void APairedSurrogateEscapeIsText()
    {
        using var file = new TempJsonlFile("""{"prompt": "\ud83d\ude42", "completion": "c", "label": true}""");
        Assert.AreEqual("🙂", (string?)JsonlReader.ReadObjects(file.Path).Single().Value["prompt"]);
    }

    [TestMethod]
    public void InvalidUtf8IsNamedNotReplaced()
    {
        using var file = new TempJsonlFile("");
        File.WriteAllBytes(file.Path, [.. System.Text.Encoding.UTF8.GetBytes(GoodLine + "\n{\"prompt\": \"p"), 0xC3, 0x28, .. System.Text.Encoding.UTF8.GetBytes("\", \"completion\": \"c\", \"label\": true}\n")]);

        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.LoadJsonl(file.Path));

        StringAssert.StartsWith(error.Message, $"Line 2 of '{file.Path}' is not valid UTF-8");
        StringAssert.EndsWith(error.Message, "Save the file as UTF-8.");
    }

    [TestMethod]
    public void DuplicateKeyIsAnError()
    {
        using var file = new TempJsonlFile("""{"prompt": "p", "prompt": "q", "completion": "c", "label": true}""");

        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.LoadJsonl(file.Path));

        StringAssert.StartsWith(error.Message, $"Line 1 of '{file.Path}' is not valid JSON: Duplicate property 'prompt'");
    }

    [TestMethod]
    public void BlankLinesAreSkippedAndLinesNumberTheRows()
    {
        using var file = new TempJsonlFile($"\uFEFF{GoodLine}\r\n\r\n   \r\n{GoodLine.Replace("true", "false")}\r\n");

        var dataset = KtoDatasetLoader.LoadJsonl(file.Path);

        CollectionAssert.AreEqual(new[] { 1, 4 }, dataset.Rows.Select(row => row.SourceRow).ToArray());
        CollectionAssert.AreEqual(new[] { true, false }, dataset.Rows.Select(row => row.Label).ToArray());
    }

    [TestMethod]
    public void RowErrorsInAFileNameTheLine()
    {
        using var file = new TempJsonlFile($"{GoodLine}\n\n{GoodLine.Replace("true", "\"yes\"")}\n");

        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.LoadJsonl(file.Path));

        Assert.AreEqual(
            $"Line 3 of '{file.Path}': column 'label' must be true/false (or 0/1); found \"yes\". Fix the value or map another column with KtoColumnNames.Label.",
            error.Message);
    }

    [TestMethod]
    public void FileOfBlankLinesIsEmpty()
    {
        using var file = new TempJsonlFile("\n  \n");

        var error = Assert.ThrowsExactly<KtoDataException>(() => KtoDatasetLoader.LoadJsonl(file.Path));

        Assert.AreEqual($"'{file.Path}' has no rows. KTO needs at least one example (blank JSONL lines are skipped).", error.Message);
    }
}
