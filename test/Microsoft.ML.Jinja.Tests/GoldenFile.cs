using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Jinja.Tests;

/// <summary>
/// Reads the golden files written by build/golden/chat_templates/make_golden.py. Each test project that uses this
/// helper (the Jinja tests, and the chat-template tests of Microsoft.ML.Kto.Tests, which link this file) copies its
/// goldens to data/chat_templates/ in its output folder.
/// </summary>
internal static class GoldenFile
{
    public static JsonObject Load(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "chat_templates", fileName)))!.AsObject();

    /// <summary>One row per golden case, keyed by its name so each case reports as its own test.</summary>
    public static IEnumerable<object[]> Cases(string fileName) =>
        Load(fileName)["cases"]!.AsArray().Select(c => new object[] { c!["name"]!.GetValue<string>() });

    public static JsonObject Case(string fileName, string name) =>
        Load(fileName)["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!.AsObject();

    /// <summary>
    /// Asserts a golden outcome: the expected rendering, or the error Python raised. Runtime errors must carry
    /// jinja2's exact message; syntax errors (reported at parse time with a line) need only fail.
    /// </summary>
    public static void AssertOutcome(JsonObject golden, Func<string> render)
    {
        if (golden["expected"] is { } expected)
        {
            Assert.AreEqual(expected.GetValue<string>(), render());
            return;
        }

        var errorType = golden["error_type"]!.GetValue<string>();
        var error = Assert.ThrowsException<TemplateException>(render);
        if (errorType is "TemplateSyntaxError" or "TemplateAssertionError")
        {
            Assert.IsNotNull(error.Line, "syntax errors carry their line");
            return;
        }

        Assert.AreEqual(golden["error"]!.GetValue<string>(), error.Message);
    }
}
