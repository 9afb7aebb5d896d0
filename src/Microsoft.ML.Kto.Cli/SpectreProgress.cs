using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Kto.Training;
using Spectre.Console;

namespace Microsoft.ML.Kto.Cli;

/// <summary>One live bar per phase (prepare, reference, train, eval) with the latest loss, margin and throughput.</summary>
internal sealed class SpectreProgress(ProgressContext context) : IProgress<KtoProgress>
{
    private readonly Dictionary<string, ProgressTask> _tasks = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private (double Seconds, double Tokens)? _lastTokens;
    private string _trainSummary = "";

    public void Report(KtoProgress value)
    {
        if (value.Message is { } message)
        {
            AnsiConsole.MarkupLine($"[yellow]kto:[/] {Markup.Escape(message)}");
            return;
        }
        if (value.Metrics is { } metrics)
        {
            if (value.Phase == "train")
            {
                _trainSummary = Summary(metrics);
            }
            else
            {
                AnsiConsole.MarkupLine($"[blue]{value.Phase} step {value.Step}[/] {Markup.Escape(Summary(metrics))}");
            }
        }
        if (value.TotalSteps <= 0)
        {
            return;
        }

        var task = Task(value.Phase == "eval" ? "train" : value.Phase);
        task.MaxValue = value.TotalSteps;
        task.Value = value.Step;
        task.Description = Markup.Escape(value.Phase == "train" || value.Phase == "eval" ? $"train {value.Step}/{value.TotalSteps}  {_trainSummary}" : $"{value.Phase} {value.Step}/{value.TotalSteps}");
    }

    private ProgressTask Task(string phase)
    {
        if (!_tasks.TryGetValue(phase, out var task))
        {
            foreach (var other in _tasks.Values)
            {
                other.StopTask();
            }

            _tasks[phase] = task = context.AddTask(phase);
        }
        return task;
    }

    private string Summary(IReadOnlyDictionary<string, double> metrics)
    {
        string Show(string label, string key) => metrics.TryGetValue(key, out var v) ? $"{label} {v.ToString("G4", CultureInfo.InvariantCulture)}  " : "";
        var text = Show("loss", KtoMetrics.Loss) + Show("margin", KtoMetrics.RewardsMargins) + Show("kl", KtoMetrics.Kl)
            + Show("eval loss", "eval_" + KtoMetrics.Loss) + Show("eval margin", "eval_" + KtoMetrics.RewardsMargins);
        if (metrics.TryGetValue(KtoMetrics.NumTokens, out var tokens))
        {
            var now = _clock.Elapsed.TotalSeconds;
            if (_lastTokens is { } last && now > last.Seconds)
            {
                text += $"{(tokens - last.Tokens) / (now - last.Seconds):F0} tok/s";
            }

            _lastTokens = (now, tokens);
        }
        return text.TrimEnd();
    }
}
