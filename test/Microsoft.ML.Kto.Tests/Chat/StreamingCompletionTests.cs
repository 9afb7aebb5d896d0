using Microsoft.ML.Kto.Generation;

namespace Microsoft.ML.Kto.Tests.Chat;

/// <summary>Streamed text is final when released: each token here decodes to one entry of a fixed table.</summary>
[TestClass]
public sealed class StreamingCompletionTests
{
    private static StreamingCompletion Over(string[] pieces, string[] stops, bool tools = false) =>
        new(ids => string.Concat(ids.Select(id => pieces[id])).Replace("\uFFFD\uFFFD", "é", StringComparison.Ordinal), stops, tools);

    [TestMethod]
    public void AHalfSpelledCharacterWaitsForItsSecondToken()
    {
        var completion = Over(["a", "\uFFFD"], []);
        Assert.AreEqual("a", completion.Add(0));
        Assert.AreEqual("", completion.Add(1), "one byte of é decodes to U+FFFD: held back");
        Assert.AreEqual("é", completion.Add(1));
        Assert.AreEqual("", completion.Finish());
    }

    [TestMethod]
    public void ATailThatMayStartAStopSequenceIsHeldAndTheStopIsCut()
    {
        var completion = Over(["ab", "<e", "nd>", "<x"], ["<end>"]);
        Assert.AreEqual("ab", completion.Add(0));
        Assert.AreEqual("", completion.Add(1));
        Assert.AreEqual("", completion.Add(2));
        Assert.IsTrue(completion.StoppedBySequence);
        Assert.AreEqual("ab", completion.Text);

        var notAStop = Over(["ab", "<e", "<x", "<"], ["<end>"]);
        notAStop.Add(0);
        Assert.AreEqual("", notAStop.Add(1));
        Assert.AreEqual("<e<x", notAStop.Add(2), "once the tail cannot start the stop sequence any more it is released");
        Assert.AreEqual("", notAStop.Add(3));
        Assert.AreEqual("<", notAStop.Finish());
    }

    [TestMethod]
    public void ToolCallsAreHeldForParsing()
    {
        var hermes = Over(["Sure. ", "<tool", "_call>{}"], [], tools: true);
        Assert.AreEqual("Sure. ", hermes.Add(0));
        Assert.AreEqual("", hermes.Add(1));
        Assert.AreEqual("", hermes.Add(2));
        Assert.AreEqual("Sure. <tool_call>{}", hermes.Text);

        var bare = Over([" ", "{\"name\"", "}"], [], tools: true);
        Assert.AreEqual("", bare.Add(0));
        Assert.AreEqual("", bare.Add(1));
        Assert.AreEqual("", bare.Add(2));
        Assert.AreEqual(" {\"name\"}", bare.Text);
    }
}
