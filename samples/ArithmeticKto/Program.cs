// The main job: KTO teaches a small Llama model to stop making a systematic arithmetic mistake, from nothing but a
// checker's thumbs up / thumbs down on the model's own answers. Also runnable as `./kto demo [--output-dir DIR]`.
using System.Globalization;
using Microsoft.ML.Kto.Samples.Arithmetic;
using Microsoft.ML.Kto.Training;

var outputDir = args is ["--output-dir", var dir] ? dir : Path.Combine("artifacts", "kto-demo");
var result = new ArithmeticDemo().Run(outputDir, Console.Out, new MetricLines());
Console.WriteLine(ArithmeticDemo.ToJson(result));

/// <summary>Prints each logged training line's loss and rewards.</summary>
internal sealed class MetricLines : IProgress<KtoProgress>
{
    public void Report(KtoProgress value)
    {
        if (value.Metrics is not { } m)
        {
            return;
        }

        string Show(string name) => m.TryGetValue(name, out var v) ? $"{name} {v.ToString("F3", CultureInfo.InvariantCulture)}" : "";
        Console.WriteLine($"      step {value.Step}/{value.TotalSteps}  {Show(KtoMetrics.Loss)}  {Show(KtoMetrics.RewardsChosen)}  {Show(KtoMetrics.RewardsRejected)}");
    }
}
