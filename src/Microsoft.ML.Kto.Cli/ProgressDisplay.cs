using Microsoft.ML.Kto.Training;
using Spectre.Console;

namespace Microsoft.ML.Kto.Cli;

/// <summary>
/// Chooses how training progress is shown: a live Spectre.Console bar per phase on an interactive terminal, plain
/// lines (<see cref="ConsoleProgress"/>) when output is redirected, in CI, or on a dumb terminal, where redraws
/// would only fill a log with escape codes.
/// </summary>
internal static class ProgressDisplay
{
    public static bool IsInteractive =>
        !Console.IsOutputRedirected && !Console.IsErrorRedirected
        && Environment.GetEnvironmentVariable("CI") is null
        && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb")
        && AnsiConsole.Profile.Capabilities.Interactive;

    public static T Run<T>(Func<IProgress<KtoProgress>, T> body)
    {
        if (!IsInteractive)
        {
            return body(new ConsoleProgress());
        }

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => body(new SpectreProgress(context)));
    }
}
