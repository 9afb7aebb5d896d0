using System.CommandLine;

namespace Microsoft.ML.Kto.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print the full stack trace of errors.", Recursive = true };

    public static Option<string> Directory(string name, string description) => new(name) { Description = description, Required = true };

    /// <summary>The model flag of commands that generate: a Hugging Face model directory or an ML.NET model zip.</summary>
    public static Option<string> Model() =>
        Directory("--model", "Model: a Hugging Face directory (with tokenizer files) or an ML.NET model zip saved with SaveWithKto.");

    /// <summary>Loads the model a <see cref="Model"/> flag names (the zip must hold exactly one KTO transformer).</summary>
    public static KtoTransformer LoadModel(string path)
    {
        if (!File.Exists(path))
        {
            return KtoTransformer.Load(path);
        }

        var loaded = new MLContext().Model.LoadWithKto(path, out _);
        var ktos = (loaded as IEnumerable<ITransformer> ?? [loaded]).OfType<KtoTransformer>().ToList();
        if (ktos.Count == 1)
        {
            return ktos[0];
        }

        foreach (var kto in ktos)
        {
            kto.Dispose();
        }

        throw new ArgumentException($"'{path}' holds {ktos.Count} KTO transformers; the command needs a model with exactly one.");
    }
}
