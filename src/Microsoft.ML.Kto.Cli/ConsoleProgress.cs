using System.Globalization;
using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Cli;

/// <summary>Plain-line progress: warnings, logged metrics and checkpoints (synchronous, so lines keep their order).</summary>
internal sealed class ConsoleProgress : IProgress<KtoProgress>
{
    private static readonly string[] Shown = [KtoMetrics.Loss, KtoMetrics.RewardsMargins, KtoMetrics.Kl, KtoMetrics.LearningRate];

    public void Report(KtoProgress value)
    {
        if (value.Message is { } message)
        {
            Console.Error.WriteLine($"kto: {message}");
            return;
        }
        if (value.Metrics is not { } metrics)
        {
            return;
        }

        var shown = metrics.Where(kv => Shown.Any(s => kv.Key == s || kv.Key.EndsWith("_" + s, StringComparison.Ordinal)))
            .Select(kv => $"{kv.Key} {kv.Value.ToString("G4", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"[{value.Phase}] step {value.Step}/{value.TotalSteps}  {string.Join("  ", shown)}");
    }
}
