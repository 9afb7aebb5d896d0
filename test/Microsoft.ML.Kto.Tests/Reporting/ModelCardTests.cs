using System.Text.RegularExpressions;
using Microsoft.ML.Kto.Reporting;

namespace Microsoft.ML.Kto.Tests.Reporting;

[TestClass]
public sealed class ModelCardTests
{
    private static ModelCardContent Content() => new()
    {
        ModelName = "Qwen2-0.5B-KTO",
        BaseModel = "Qwen/Qwen2-0.5B-Instruct",
        DatasetName = "trl-lib/kto-mix-14k",
        TrainRows = 1234,
        DesirableRows = 800,
        UndesirableRows = 434,
        Hyperparameters = [KeyValuePair.Create("beta", "0.1"), KeyValuePair.Create("learning_rate", "5e-07"), KeyValuePair.Create("loss_type", "kto")],
        FinalMetrics = [KeyValuePair.Create("loss", 0.4567891234), KeyValuePair.Create("eval_rewards/margins", 1.5e-7)],
        FrameworkVersions = [KeyValuePair.Create("Microsoft.ML.Kto", "0.1.0"), KeyValuePair.Create(".NET", "10.0.0")],
    };

    [TestMethod]
    public void FrontMatterNamesTheModelAndItsBase()
    {
        var card = ModelCard.Render(Content());

        var frontMatter = Regex.Match(card, "\\A---\n(.*?)\n---\n", RegexOptions.Singleline);
        Assert.IsTrue(frontMatter.Success, "the card opens with YAML front matter");
        var lines = frontMatter.Groups[1].Value.Split('\n');
        CollectionAssert.Contains(lines, "base_model: Qwen/Qwen2-0.5B-Instruct");
        CollectionAssert.Contains(lines, "library_name: Microsoft.ML.Kto");
        CollectionAssert.Contains(lines, "model_name: Qwen2-0.5B-KTO");
        CollectionAssert.Contains(lines, "tags: [kto, trl-compatible, generated_from_trainer]");
    }

    [TestMethod]
    public void UnknownBaseModelIsLeftOutOfFrontMatter()
    {
        var card = ModelCard.Render(Content() with { BaseModel = null, ModelName = "my model: v2" });

        Assert.IsFalse(card.Contains("base_model:", StringComparison.Ordinal));
        StringAssert.Contains(card, "model_name: \"my model: v2\"", "values YAML would misread are quoted");
    }

    [TestMethod]
    public void TablesHoldTheGivenValues()
    {
        var card = ModelCard.Render(Content());

        StringAssert.Contains(card, "| beta | 0.1 |");
        StringAssert.Contains(card, "| learning_rate | 5e-07 |");
        StringAssert.Contains(card, "| loss_type | kto |");
        StringAssert.Contains(card, "| loss | 0.456789 |", "metrics use G6");
        StringAssert.Contains(card, "| eval_rewards/margins | 1.5E-07 |");
        StringAssert.Contains(card, "- Microsoft.ML.Kto: 0.1.0");
        StringAssert.Contains(card, "- .NET: 10.0.0");
        StringAssert.Contains(card, "- Dataset: `trl-lib/kto-mix-14k`");
        StringAssert.Contains(card, "- Training rows: 1234");
        StringAssert.Contains(card, "- Desirable rows: 800");
        StringAssert.Contains(card, "- Undesirable rows: 434");
    }

    [TestMethod]
    public void QuickStartLoadsTheModelInCSharpAndFromTheCli()
    {
        var card = ModelCard.Render(Content() with { ModelPath = "out/qwen kto" });

        StringAssert.Contains(card, "using var model = KtoTransformer.Load(\"out/qwen kto\");");
        StringAssert.Contains(card, "Console.WriteLine(model.Generate(\"");
        StringAssert.Contains(card, "./kto generate --model 'out/qwen kto' --prompt '");
        StringAssert.Contains(ModelCard.Render(Content()), "KtoTransformer.Load(\"Qwen2-0.5B-KTO\")", "without a path the snippets use the model name");
        StringAssert.Contains(ModelCard.Render(Content()), "./kto generate --model Qwen2-0.5B-KTO --prompt ");
    }

    [TestMethod]
    public void OnlyLinkIsThePaperAndTheCitationIsIncluded()
    {
        var card = ModelCard.Render(Content());

        var urls = Regex.Matches(card, "https?://[^\\s)]+").Select(m => m.Value).Distinct().ToList();
        CollectionAssert.AreEqual(new[] { "https://huggingface.co/papers/2402.01306" }, urls);
        StringAssert.Contains(card, "@article{ethayarajh2024kto,");
        StringAssert.Contains(card, "title        = {{KTO: Model Alignment as Prospect Theoretic Optimization}}");
        StringAssert.Contains(card, "Kawin Ethayarajh and Winnie Xu and Niklas Muennighoff and Dan Jurafsky and Douwe Kiela");
        StringAssert.Contains(card, "eprint       = {arXiv:2402.01306}");
    }

    [TestMethod]
    public void TableCellsCannotBreakTheTable()
    {
        var card = ModelCard.Render(Content() with { Hyperparameters = [KeyValuePair.Create("stop", "a|b\nc")] });

        StringAssert.Contains(card, "| stop | a\\|b c |");
    }

    [TestMethod]
    public void WriteCreatesReadmeAndReplacesIt()
    {
        var directory = Directory.CreateTempSubdirectory("kto-card-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "README.md"), "old card");

            ModelCard.Write(directory, Content());

            var text = File.ReadAllText(Path.Combine(directory, "README.md"));
            Assert.AreEqual(ModelCard.Render(Content()), text);
            CollectionAssert.AreEqual(new[] { "README.md" }, Directory.GetFiles(directory).Select(Path.GetFileName).ToArray(), "no .tmp file is left");
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
