using System.CommandLine;

namespace Microsoft.ML.Kto.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print the full stack trace of errors.", Recursive = true };

    public static Option<string> Directory(string name, string description) => new(name) { Description = description, Required = true };
}
