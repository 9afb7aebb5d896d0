using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Jinja.Tests;

/// <summary>Hand-written expectations for behaviours the Python-generated snippet goldens do not pin down.</summary>
[TestClass]
public sealed class JinjaTemplateTests
{
    private static string Render(string template, params (string Name, JsonNode? Value)[] variables) =>
        new JinjaTemplate(template).Render(variables.ToDictionary(v => v.Name, v => v.Value));

    [TestMethod]
    public void ParsedJsonKeepsPythonNumberTypes()
    {
        var value = JsonNode.Parse("""{"i": 1, "f": 1.0, "e": 1e-05, "big": 12345678901234}""");

        Assert.AreEqual("1 1.0 1e-05 12345678901234 {\"i\": 1, \"f\": 1.0, \"e\": 1e-05, \"big\": 12345678901234}", Render("{{ v.i }} {{ v.f }} {{ v.e }} {{ v.big }} {{ v | tojson }}", ("v", value)));
    }

    [TestMethod]
    public void ClrNumbersAreTypedByTheirDotNetType()
    {
        Assert.AreEqual("2 2.0 0.5 True", Render("{{ i }} {{ d }} {{ m }} {{ i is integer }}", ("i", 2), ("d", 2.0), ("m", 0.5m)));
    }

    [TestMethod]
    public void NullVariableIsNone()
    {
        Assert.AreEqual("True None", Render("{{ x is none }} {{ x }}", ("x", null)));
    }

    [TestMethod]
    public void SetInsideLoopDoesNotEscapeButNamespaceDoes()
    {
        const string template =
            "{% set total = 0 %}{% set ns = namespace(total=0) %}" +
            "{% for x in [1, 2, 3] %}{% set total = total + x %}{% set ns.total = ns.total + x %}{% endfor %}{{ total }} {{ ns.total }}";

        Assert.AreEqual("0 6", Render(template));
    }

    [TestMethod]
    public void LoopControlsSkipAndStop()
    {
        Assert.AreEqual("1,3,", Render("{% for x in range(1, 10) %}{% if x is even %}{% continue %}{% endif %}{% if x > 4 %}{% break %}{% endif %}{{ x }},{% endfor %}"));
    }

    [TestMethod]
    public void WhitespaceControlMatchesTransformersSettings()
    {
        const string template = "{% for x in ['a', 'b'] %}\n    {{ x }}\n{% endfor %}\n{{- ' end' }}";

        // lstrip_blocks does not touch "{{ x }}" lines, trim_blocks eats the newline after each block tag.
        Assert.AreEqual("    a\n    b\n end", Render(template));
    }

    [TestMethod]
    public void UndefinedIsEmptyFalsyAndIterableButFailsOnAccess()
    {
        Assert.AreEqual("[]0True", Render("[{{ nope }}]{{ nope and true }}{{ nope | length }}{% for x in nope %}x{% endfor %}{{ not nope }}"));
        var error = Assert.ThrowsException<TemplateException>(() => Render("{{ nope.attribute }}"));
        Assert.AreEqual("'nope' is undefined", error.Message);
    }

    [TestMethod]
    public void MissingDictKeyErrorNamesTheKey()
    {
        var error = Assert.ThrowsException<TemplateException>(() => Render("{{ m.content.strip() }}", ("m", new JsonObject { ["role"] = "user" })));

        Assert.AreEqual("'dict object' has no attribute 'content'", error.Message);
    }

    [TestMethod]
    public void ImmutableSandboxRefusesAppend()
    {
        var error = Assert.ThrowsException<TemplateException>(() => Render("{{ xs.append(1) }}", ("xs", new JsonArray())));

        Assert.AreEqual("access to attribute 'append' of 'list' object is unsafe.", error.Message);
    }

    [TestMethod]
    public void MutationsStayWithinOneRender()
    {
        var template = new JinjaTemplate("{{ xs.pop() }}{{ xs | length }}");
        var variables = new Dictionary<string, JsonNode?> { ["xs"] = new JsonArray(1, 2) };

        Assert.AreEqual("21", template.Render(variables));
        Assert.AreEqual("21", template.Render(variables));
    }

    [TestMethod]
    public void IntegerOverflowFailsInsteadOfWrapping()
    {
        Assert.ThrowsException<TemplateException>(() => Render("{{ 9223372036854775807 + 1 }}"));
    }

    [TestMethod]
    public void StrftimeNowFormatsTheCurrentDate()
    {
        var before = DateTime.Now;
        var rendered = Render("{{ strftime_now('%Y-%m-%d') }}");

        CollectionAssert.Contains(new[] { before.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, rendered);
    }

    [TestMethod]
    public void UnterminatedStringIsASyntaxError()
    {
        var error = Assert.ThrowsException<TemplateException>(() => new JinjaTemplate("ok\n{{ 'open }}"));

        Assert.AreEqual(2, error.Line);
    }

    [TestMethod]
    public void MissingCommentEndIsASyntaxError()
    {
        Assert.ThrowsException<TemplateException>(() => new JinjaTemplate("{# never closed"));
    }

    [TestMethod]
    public void RecursiveLoopsAreRejectedExplicitly()
    {
        var error = Assert.ThrowsException<TemplateException>(() => new JinjaTemplate("{% for x in xs recursive %}{% endfor %}"));

        StringAssert.Contains(error.Message, "recursive");
    }
}
