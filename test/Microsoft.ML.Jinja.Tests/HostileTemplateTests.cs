using System.Text.Json.Nodes;

namespace Microsoft.ML.Jinja.Tests;

/// <summary>
/// Chat templates come from downloaded model files: nesting that would exhaust the stack, output or repetition that
/// would exhaust memory and loops that would run for hours are template errors, not crashes or hangs.
/// </summary>
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

    [TestMethod]
    public void OutputBeyondTheLimitIsATemplateError()
    {
        // 100 x 100 x 4,000 characters = 40 M characters, past the 32 Mi limit; 2,000 characters per item stays under it.
        const string Writer = "{% set s = 'x' * N %}{% for i in range(100) %}{% for j in range(100) %}{{ s }}{% endfor %}{% endfor %}";
        var e = Assert.ThrowsException<TemplateException>(() => Render(Writer.Replace("N", "4000")));
        StringAssert.Contains(e.Message, "output exceeds 33,554,432 characters");
        Assert.AreEqual(20_000_000, Render(Writer.Replace("N", "2000")).Length);
    }

    [TestMethod]
    [DataRow("{{ 'ab' * 20000000 }}", "repeating a str of length 2 20000000 times")]
    [DataRow("{{ ([1, 2, 3] * 20000000) | length }}", "repeating a list of length 3 20000000 times")]
    [DataRow("{{ 'a' * 4294967297 }}", "repeating a str of length 1 4294967297 times")]   // would wrap to 1 in a 32-bit count
    public void RepetitionBeyondTheLimitIsATemplateErrorBeforeAllocating(string template, string message)
    {
        var e = Assert.ThrowsException<TemplateException>(() => Render(template));
        StringAssert.Contains(e.Message, message);
    }

    [TestMethod]
    public void RepetitionWithinTheLimitMatchesPython()
    {
        Assert.AreEqual("16000000", Render("{{ ('ab' * 8000000) | length }}"));
        Assert.AreEqual("", Render("{{ '' * 4294967295 }}"));
        Assert.AreEqual("", Render("{{ 'ab' * -3 }}"));
    }

    [TestMethod]
    public void NestedLoopsPastTheIterationBudgetAreATemplateErrorNotAHang()
    {
        var e = Assert.ThrowsException<TemplateException>(() => Render("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"));
        StringAssert.Contains(e.Message, "more than 10,000,000 loop iterations");
        Assert.AreEqual("9999", Render("{% for i in range(100) %}{% for j in range(100) %}{% if loop.last and i == 99 %}{{ i * 100 + j }}{% endif %}{% endfor %}{% endfor %}"));
    }

    [TestMethod]
    public void PrefixedIntegersLexAsJinja2Does()
    {
        // build/fuzz found "0x" without digits crashing the lexer; expected values from Python jinja2 3.1.
        Assert.AreEqual("31|5|15|15|16|9223372036854775807", Render("{{ 0x1F }}|{{ 0b101 }}|{{ 0o17 }}|{{ 0x_f }}|{{ 0X1_0 }}|{{ 0x7fffffffffffffff }}"));
        StringAssert.Contains(Assert.ThrowsException<TemplateException>(() => Render("{{ 0x }}")).Message, "expected token 'end of print statement', got 'x'");
        StringAssert.Contains(Assert.ThrowsException<TemplateException>(() => Render("{{ 0o8 }}")).Message, "got 'o8'");
        StringAssert.Contains(Assert.ThrowsException<TemplateException>(() => Render("{{ 0b2 }}")).Message, "got 'b2'");
        StringAssert.Contains(Assert.ThrowsException<TemplateException>(() => Render("{{ 0x8000000000000000 }}")).Message, "integer literal too large");
    }

    [TestMethod]
    [DataRow("{{ 'x' | center(99999999999) }}", "center width 99999999999 exceeds the template limit")]
    [DataRow("{{ 'x' | indent(99999999999) }}", "indent width 99999999999 exceeds the template limit")]
    [DataRow("{{ [1] | tojson(indent=99999999999) }}", "tojson indent 99999999999 exceeds the template limit")]
    [DataRow("{{ '{:99999999999}'.format(1) }}", "format width 99999999999 exceeds the template limit")]
    [DataRow("{{ '{:.99999999999f}'.format(1.5) }}", "format precision 99999999999 exceeds the template limit")]
    [DataRow("{{ 2.5 | round(99999999999) }}", "Python int too large to convert to C int")]
    public void SizesFromTheTemplateAreBoundedBeforeAllocating(string template, string message) =>
        StringAssert.Contains(Assert.ThrowsException<TemplateException>(() => Render(template)).Message, message);

    [TestMethod]
    public void NegativeSizesBehaveAsPython()
    {
        // Python: "x".center(-5) == "x"; jinja2's indent with a negative width indents by " " * -3 == "".
        Assert.AreEqual("x", Render("{{ 'x' | center(-5) }}"));
        Assert.AreEqual("a\nb", Render("{{ 'a\nb' | indent(-3) }}"));
    }

    [TestMethod]
    public void RecursionTimesNestingIsATemplateErrorEvenOnASmallStack()
    {
        // 99 macro calls deep, each inside 250 nested blocks: within every counter's bound, but their product of
        // frames overflowed a 256 KiB thread stack and killed the process before the stack guard.
        var blocks = string.Concat(Enumerable.Repeat("{% if true %}", 250)) + "{{ m(n - 1) if n > 0 else 'x' }}" + string.Concat(Enumerable.Repeat("{% endif %}", 250));
        var template = "{% macro m(n) %}" + blocks + "{% endmacro %}{{ m(99) }}";
        var (_, error) = RenderOnThread(template, stackBytes: 256 * 1024);
        Assert.IsInstanceOfType<TemplateException>(error);
        StringAssert.Contains(error!.Message, "too deeply for this thread's stack");

        Assert.AreEqual("x", RenderOnThread(template, stackBytes: 64 * 1024 * 1024).Output, "a large stack renders it, as jinja2 does");
    }

    private static (string? Output, Exception? Error) RenderOnThread(string template, int stackBytes)
    {
        (string? Output, Exception? Error) result = default;
        var thread = new Thread(() =>
        {
            try { result = (Render(template), null); }
            catch (Exception e) { result = (null, e); }
        }, stackBytes);
        thread.Start();
        thread.Join();
        return result;
    }

    [TestMethod]
    public void StringsThatDoubleAtEachStepStopAtTheLimit()
    {
        // build/fuzz: 127 chained tojson filters double the backslashes each time (Python stops at its recursion
        // limit; a flat chain here would run until memory ran out). Concatenation in a loop grows the same way.
        var chain = "{{ 'a\"b'" + string.Concat(Enumerable.Repeat(" | tojson", 127)) + " }}";
        StringAssert.Contains(Assert.ThrowsException<TemplateException>(() => Render(chain)).Message, "exceeds the template limit of 33,554,432");
        var doubling = "{% set ns = namespace(s='ab') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}";
        StringAssert.Contains(Assert.ThrowsException<TemplateException>(() => Render(doubling)).Message, "exceeds the template limit of 33,554,432");
        // Within the limit it renders as Python's print(json.dumps(json.dumps('a"b'))): "\"a\\\"b\""
        Assert.AreEqual("\"\\\"a\\\\\\\"b\\\"\"", Render("{{ 'a\"b' | tojson | tojson }}"));
    }
}
