using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>
/// Writes the <c>README.md</c> model card saved beside a fine-tuned model, laid out like the cards TRL writes so the
/// directory reads the same on the Hugging Face hub as a Python-trained one.
/// </summary>
public static partial class ModelCard
{
    /// <summary>The file name the hub shows as a model's card.</summary>
    public const string FileName = "README.md";

    /// <summary>The KTO paper, the card's only link (cards must not point readers at anything else we do not control).</summary>
    internal const string PaperUrl = "https://huggingface.co/papers/2402.01306";

    /// <summary>TRL's model-card question, used when the card is given no prompt of its own.</summary>
    internal const string DefaultExamplePrompt =
        "If you had a time machine, but could only go to the past or the future once and never return, which would you choose and why?";

    private const string Citation = """
        @article{ethayarajh2024kto,
            title        = {{KTO: Model Alignment as Prospect Theoretic Optimization}},
            author       = {Kawin Ethayarajh and Winnie Xu and Niklas Muennighoff and Dan Jurafsky and Douwe Kiela},
            year         = 2024,
            eprint       = {arXiv:2402.01306},
        }
        """;

    /// <summary>Renders the card and writes it as <c>README.md</c> in <paramref name="directory"/>, replacing any earlier card atomically.</summary>
    /// <param name="directory">The model directory; created when missing.</param>
    /// <param name="content">What the card records.</param>
    public static void Write(string directory, ModelCardContent content) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), Render(content));

    /// <summary>Renders the card as Markdown with YAML front matter.</summary>
    /// <param name="content">What the card records.</param>
    /// <returns>The card's text.</returns>
    public static string Render(ModelCardContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var card = new StringBuilder();
        AppendFrontMatter(card, content);
        AppendIntroduction(card, content);
        AppendQuickStart(card, content.ModelPath ?? content.ModelName, content.ExamplePrompt ?? DefaultExamplePrompt);
        card.Append("## Training procedure\n\n")
            .Append($"This model was trained with KTO, a method introduced in [KTO: Model Alignment as Prospect Theoretic Optimization]({PaperUrl}).\n\n");
        AppendTrainingData(card, content);
        card.Append("### Training hyperparameters\n\n");
        AppendTable(card, "Name", "Value", content.Hyperparameters);
        card.Append("### Final metrics\n\n");
        AppendTable(card, "Metric", "Value", content.FinalMetrics.Select(m => KeyValuePair.Create(m.Key, m.Value.ToString("G6", CultureInfo.InvariantCulture))).ToList());
        AppendFrameworkVersions(card, content.FrameworkVersions);
        card.Append("## Citations\n\nCite KTO as:\n\n```bibtex\n").Append(Citation).Append("\n```\n");
        return card.ToString();
    }

    private static void AppendFrontMatter(StringBuilder card, ModelCardContent content)
    {
        card.Append("---\n");
        if (!string.IsNullOrWhiteSpace(content.BaseModel))
        {
            card.Append($"base_model: {YamlScalar(content.BaseModel)}\n");
        }

        card.Append("library_name: Microsoft.ML.Kto\n")
            .Append($"model_name: {YamlScalar(content.ModelName)}\n")
            .Append("tags: [kto, trl-compatible, generated_from_trainer]\n")
            .Append("---\n\n");
    }

    private static void AppendIntroduction(StringBuilder card, ModelCardContent content)
    {
        card.Append($"# Model Card for {OneLine(content.ModelName)}\n\n");
        var onDataset = string.IsNullOrWhiteSpace(content.DatasetName) ? "" : $" on {InlineCode(content.DatasetName)}";
        card.Append(string.IsNullOrWhiteSpace(content.BaseModel)
            ? $"This model was fine-tuned with KTO{onDataset} using Microsoft.ML.Kto (base model not recorded).\n\n"
            : $"This model is a fine-tuned version of {InlineCode(content.BaseModel)}, trained with KTO{onDataset} using Microsoft.ML.Kto.\n\n");
    }

    private static void AppendQuickStart(StringBuilder card, string modelPath, string prompt)
    {
        card.Append("## Quick start\n\n```csharp\nusing Microsoft.ML.Kto;\n\n")
            .Append($"using var model = KtoTransformer.Load({CSharpString(modelPath)});\n")
            .Append($"Console.WriteLine(model.Generate({CSharpString(prompt)}));\n```\n\n")
            .Append("Or from the command line:\n\n```bash\n")
            .Append($"./kto generate --model {ShellWord(modelPath)} --prompt {ShellWord(prompt)}\n```\n\n");
    }

    private static void AppendTrainingData(StringBuilder card, ModelCardContent content)
    {
        card.Append("### Training data\n\n");
        var facts = new List<string>();
        if (!string.IsNullOrWhiteSpace(content.DatasetName))
        {
            facts.Add($"- Dataset: {InlineCode(content.DatasetName)}");
        }

        if (content.TrainRows is { } rows)
        {
            facts.Add($"- Training rows: {rows.ToString(CultureInfo.InvariantCulture)}");
        }

        if (content.DesirableRows is { } desirable)
        {
            facts.Add($"- Desirable rows: {desirable.ToString(CultureInfo.InvariantCulture)}");
        }

        if (content.UndesirableRows is { } undesirable)
        {
            facts.Add($"- Undesirable rows: {undesirable.ToString(CultureInfo.InvariantCulture)}");
        }

        card.Append(facts.Count == 0 ? "Not recorded.\n\n" : string.Join('\n', facts) + "\n\n");
    }

    private static void AppendTable(StringBuilder card, string keyHeading, string valueHeading, IReadOnlyList<KeyValuePair<string, string>> rows)
    {
        if (rows.Count == 0)
        {
            card.Append("Not recorded.\n\n");
            return;
        }
        card.Append($"| {keyHeading} | {valueHeading} |\n| --- | --- |\n");
        foreach (var (key, value) in rows)
        {
            card.Append($"| {TableCell(key)} | {TableCell(value)} |\n");
        }

        card.Append('\n');
    }

    private static void AppendFrameworkVersions(StringBuilder card, IReadOnlyList<KeyValuePair<string, string>> versions)
    {
        card.Append("### Framework versions\n\n");
        if (versions.Count == 0)
        {
            card.Append("Not recorded.\n\n");
            return;
        }
        foreach (var (name, version) in versions)
        {
            card.Append($"- {OneLine(name)}: {OneLine(version)}\n");
        }

        card.Append('\n');
    }

    // Hub ids and simple paths stay bare, as TRL writes them; anything YAML could misread (": ", "#", quotes) is quoted.
    private static string YamlScalar(string value) =>
        PlainYaml().IsMatch(value)
            ? value
            : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

    private static string CSharpString(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

    // Single quotes keep the shell from expanding anything; an embedded quote closes, escapes and reopens.
    private static string ShellWord(string value) =>
        PlainShell().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''") + "'";

    // Double backticks let a value that itself holds a backtick still render as code.
    private static string InlineCode(string value) =>
        OneLine(value).Contains('`') ? $"`` {OneLine(value)} ``" : $"`{OneLine(value)}`";

    private static string TableCell(string value) => OneLine(value).Replace("|", "\\|");

    private static string OneLine(string value) => value.ReplaceLineEndings(" ");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")]
    private static partial Regex PlainYaml();

    [GeneratedRegex(@"^[A-Za-z0-9._/\-]+$")]
    private static partial Regex PlainShell();
}
