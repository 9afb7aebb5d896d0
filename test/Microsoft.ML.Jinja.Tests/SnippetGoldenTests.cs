using System.Text.Json.Nodes;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Jinja.Tests;

/// <summary>
/// Small templates covering each statement, expression, filter and test, rendered (or failed) by Python jinja2
/// with transformers' environment; the interpreter must agree on every one.
/// </summary>
[TestClass]
public sealed class SnippetGoldenTests
{
    private const string FileName = "snippets.golden.json";

    public static IEnumerable<object[]> Snippets => GoldenFile.Cases(FileName);

    [TestMethod]
    [DynamicData(nameof(Snippets))]
    public void SnippetMatchesJinja2(string snippetName)
    {
        var defaults = GoldenFile.Load(FileName)["defaults"]!.AsObject();
        var snippet = GoldenFile.Case(FileName, snippetName);
        var variables = defaults.ToDictionary(p => p.Key, p => p.Value?.DeepClone());
        foreach (var (name, value) in snippet["vars"]!.AsObject())
        {
            variables[name] = value?.DeepClone();
        }

        GoldenFile.AssertOutcome(snippet, () => new JinjaTemplate(snippet["template"]!.GetValue<string>()).Render(variables));
    }
}
