using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tests.Tokenization;

/// <summary>
/// The regex translator's character sets, rebuilt from .NET's Unicode data, must be Oniguruma's own: compared with
/// the tables extracted from Oniguruma's source by build/golden/tokenizers/make_oniguruma_unicode_golden.py.
/// </summary>
[TestClass]
public sealed class OnigurumaUnicodeDataTests
{
    private static readonly Lazy<UnicodeGolden> Golden = new(() =>
        JsonSerializer.Deserialize<UnicodeGolden>(
            File.ReadAllText(RepoPaths.TestData(Path.Combine("regex", "oniguruma-unicode.golden.json"))),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    [TestMethod]
    public void EverySupportedPropertyNameHasOnigurumasCodePoints()
    {
        var failures = new List<string>();
        foreach (var property in Golden.Value.Properties)
        {
            foreach (var name in property.Names)
            {
                if (!UnicodeProperties.TryGetProperty(name, out var set))
                {
                    failures.Add($"\\p{{{name}}} is not supported");
                }
                else if (Format(set) != property.Ranges)
                {
                    failures.Add($"\\p{{{name}}}: expected {property.Ranges[..Math.Min(200, property.Ranges.Length)]} but got {Format(set)[..Math.Min(200, Format(set).Length)]}");
                }
            }
        }

        Assert.IsTrue(Golden.Value.Properties.Sum(p => p.Names.Count) >= 90);
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
    }

    [TestMethod]
    public void PosixPunctIsPunctuationAndSymbols()
    {
        Assert.IsTrue(UnicodeProperties.TryGetPosixBracket("punct", out var set));
        Assert.AreEqual(Golden.Value.PosixPunct, Format(set));
    }

    [TestMethod]
    public void PropertiesBeyondGeneralCategoriesAreNotOffered()
    {
        var offered = Golden.Value.UnsupportedProperties.Where(name => UnicodeProperties.TryGetProperty(name, out _)).ToList();
        Assert.IsTrue(Golden.Value.UnsupportedProperties.Count > 700);
        Assert.AreEqual(0, offered.Count, $"offered: {string.Join(", ", offered)}");
    }

    [TestMethod]
    public void CaseEquivalenceClassesAreOnigurumas()
    {
        var actual = CaseFolding.Classes.Select(members => string.Join(' ', members.Select(c => c.ToString("X4", CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal);
        var expected = Golden.Value.CaseClasses.Order(StringComparer.Ordinal);
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.AreEqual(0, missing.Count + extra.Count, $"missing: {string.Join("; ", missing.Take(20))}\nextra: {string.Join("; ", extra.Take(20))}");
        Assert.AreEqual(1454, CaseFolding.Classes.Count);
    }

    private static string Format(CodePointSet set) =>
        string.Join(' ', set.Ranges.Select(r => r.First == r.Last ? $"{r.First:X4}" : $"{r.First:X4}-{r.Last:X4}"));

    private sealed record UnicodeGolden(List<PropertyGolden> Properties, string PosixPunct, List<string> UnsupportedProperties, List<string> CaseClasses);

    private sealed record PropertyGolden(List<string> Names, string Ranges);
}
