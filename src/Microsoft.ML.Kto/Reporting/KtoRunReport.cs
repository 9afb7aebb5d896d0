using System.Globalization;
using System.Reflection;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>Writes a run's <c>report.html</c> (plots, options, samples) and model card <c>README.md</c> into its output directory.</summary>
public static class KtoRunReport
{
    /// <summary>The report's file name.</summary>
    public const string FileName = "report.html";


    /// <summary>Writes both files (each atomically).</summary>
    public static void Write(string directory, KtoRunRecord run)
    {
        Directory.CreateDirectory(directory);
        TrainingReport.Write(Path.Combine(directory, FileName), ReportOf(run));
        ModelCard.Write(directory, CardOf(directory, run));
    }

    private static TrainingReportContent ReportOf(KtoRunRecord run) => new()
    {
        Title = $"KTO training of {Path.GetFileName(Path.TrimEndingDirectorySeparator(run.BaseModel))}",
        Summary = [.. run.Results, .. Overview(run), .. FinalMetrics(run.LogHistory).Select(kv => Pair(kv.Key, Format(kv.Value)))],
        Options = run.Options,
        LogHistory = run.LogHistory,
        Samples = run.Samples,
    };

    private static ModelCardContent CardOf(string directory, KtoRunRecord run) => new()
    {
        ModelName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))),
        ModelPath = directory,
        BaseModel = run.BaseModel,
        ExamplePrompt = run.Samples.FirstOrDefault()?.Prompt,
        DatasetName = run.DatasetName,
        TrainRows = run.Balance is { } b ? b.DesirableCount + b.UndesirableCount : null,
        DesirableRows = run.Balance?.DesirableCount,
        UndesirableRows = run.Balance?.UndesirableCount,
        Hyperparameters = run.Options,
        FinalMetrics = FinalMetrics(run.LogHistory),
        FrameworkVersions =
        [
            Pair("Microsoft.ML.Kto", typeof(KtoRunReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"),
            Pair(".NET", Environment.Version.ToString()),
            Pair("TorchSharp", TorchRuntime.TorchSharpVersion),
            Pair("libtorch", TorchRuntime.LibTorchVersion),
        ],
    };

    private static IEnumerable<KeyValuePair<string, string>> Overview(KtoRunRecord run)
    {
        yield return Pair("base model", run.BaseModel);
        if (run.DatasetName is { } data)
        {
            yield return Pair("dataset", data);
        }

        if (run.Balance is { } b)
        {
            yield return Pair("rows", $"{b.DesirableCount} desirable, {b.UndesirableCount} undesirable");
        }
    }

    /// <summary>The last logged value of each train metric and of each eval metric.</summary>
    internal static IReadOnlyList<KeyValuePair<string, double>> FinalMetrics(IReadOnlyList<IReadOnlyDictionary<string, double>> history)
    {
        var last = new Dictionary<string, double>();
        foreach (var line in history)
        {
            foreach (var (name, value) in line)
            {
                if (name is not ("step" or KtoMetrics.Epoch))
                {
                    last[name] = value;
                }
            }
        }

        return [.. last];
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);
}
