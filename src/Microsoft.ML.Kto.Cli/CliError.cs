namespace Microsoft.ML.Kto.Cli;

/// <summary>Runs a command body and turns any failure into one stderr line and exit code 1 (the stack trace only with --verbose).</summary>
internal static class CliError
{
    public static int Run(bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"kto: error: {e.Message}");
            if (verbose)
            {
                Console.Error.WriteLine(e);
            }

            return 1;
        }
    }
}
