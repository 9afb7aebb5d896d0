using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Tokenization.Templates;

namespace Microsoft.ML.Kto.Tests.Templates;

/// <summary>Chat templates come from downloaded model files: nesting that would exhaust the stack is an error, not a crash.</summary>
[TestClass]
public sealed class HostileTemplateTests
{
    private static string Render(string template) => new JinjaTemplate(template).Render(new Dictionary<string, JsonNode?>());

    [TestMethod]
    [DataRow("{{ ", "(", "1", ")", " }}", 100_000)]                            // parentheses (a process crash before)
    [DataRow("{{ ", "-", "1", "", " }}", 100_000)]                             // unary operators
    [DataRow("{{ ", "not ", "true", "", " }}", 100_000)]                        // not chains
    [DataRow("", "{% if true %}", "x", "{% endif %}", "", 100_000)]          // nested blocks
    [DataRow("{{ 1", "", "", " + 1", " }}", 100_000)]                          // a long left-deep operator chain
    [DataRow("{{ x", "", "", ".y", " }}", 100_000)]                           // a long attribute chain
    public void DeepNestingIsATemplateErrorNotAStackOverflow(string head, string open, string middle, string close, string tail, int count)
    {
        var template = head + string.Concat(Enumerable.Repeat(open, count)) + middle + string.Concat(Enumerable.Repeat(close, count)) + tail;
        var e = Assert.ThrowsException<TemplateException>(() => Render(template));
        StringAssert.Contains(e.Message, $"deeper than {256} levels");
    }

    [TestMethod]
    public void NestingWithinTheLimitRendersAsJinja2Does()
    {
        Assert.AreEqual("1", Render("{{ " + new string('(', 100) + "1" + new string(')', 100) + " }}"));
        Assert.AreEqual("200", Render("{{ 1" + string.Concat(Enumerable.Repeat(" + 1", 199)) + " }}"));
        Assert.AreEqual("x", Render(string.Concat(Enumerable.Repeat("{% if true %}", 50)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", 50))));
        // Filter chains are kept flat, so their length is not nesting.
        Assert.AreEqual("a", Render("{{ 'A'" + string.Concat(Enumerable.Repeat(" | lower", 100_000)) + " }}"));
    }
}
