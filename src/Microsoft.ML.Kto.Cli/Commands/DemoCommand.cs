using System.CommandLine;
using Microsoft.ML.Kto.Samples.Arithmetic;

// ML.NET declares a namespace Microsoft.ML.Command, which hides System.CommandLine's type inside our namespaces.
using CliCommand = System.CommandLine.Command;

namespace Microsoft.ML.Kto.Cli.Commands;
/// <summary><c>kto demo</c>: the main job (samples/ArithmeticKto): KTO removes a small model's systematic arithmetic error.</summary>
internal static class DemoCommand
{
    public static CliCommand Create()
    {
        var outputDir = new Option<string>("--output-dir") { DefaultValueFactory = _ => Path.Combine("artifacts", "kto-demo"), Description = "Where the base model, the aligned model, report.html and README.md go." };
        var defaults = new ArithmeticDemo();
        var pretrainSteps = new Option<int>("--pretrain-steps") { DefaultValueFactory = _ => defaults.PretrainSteps, Description = "Pre-training steps (fewer: faster, weaker base)." };
        var feedbackProblems = new Option<int>("--feedback-problems") { DefaultValueFactory = _ => defaults.FeedbackProblems, Description = "Training sums whose sampled answers get feedback." };
        var heldOut = new Option<int>("--held-out") { DefaultValueFactory = _ => defaults.HeldOutProblems, Description = "Held-out sums for the success rate." };
        var command = new CliCommand("demo", "Pre-trains a small Llama on sloppy sums, aligns it with KTO from a checker's thumbs up/down, and reports held-out success before and after; the last line is JSON.")
            { outputDir, pretrainSteps, feedbackProblems, heldOut };
        command.SetAction(result => CliError.Run(result.GetValue(CommonOptions.Verbose), () =>
        {
            var demo = new ArithmeticDemo
            {
                PretrainSteps = result.GetValue(pretrainSteps),
                FeedbackProblems = result.GetValue(feedbackProblems),
                HeldOutProblems = result.GetValue(heldOut),
            };
            var outcome = ProgressDisplay.Run(progress => demo.Run(result.GetValue(outputDir)!, Console.Out, progress));
            Console.Out.WriteLine($"Report: {Path.Combine(outcome.OutputDir, Reporting.KtoRunReport.FileName)}");
            Console.Out.WriteLine(ArithmeticDemo.ToJson(outcome));
            return 0;
        }));
        return command;
    }
}
