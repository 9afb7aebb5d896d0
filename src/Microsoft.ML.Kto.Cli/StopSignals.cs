using System.Runtime.InteropServices;

namespace Microsoft.ML.Kto.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into a cancellation instead of the default immediate exit, so training finishes its
/// step and writes a checkpoint before the process ends. (System.CommandLine's own handling gives a synchronous action
/// two seconds and then ends the process.) A second signal while stopping is handled the same way: the step still ends.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration[] _registrations;

    private StopSignals(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
    }

    /// <summary>Cancelled by a stop signal or by <paramref name="outer"/>.</summary>
    public static StopSignals Linked(CancellationToken outer) => new(outer);

    public CancellationToken Token => _source.Token;

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        if (!_source.IsCancellationRequested)
        {
            Console.Error.WriteLine("kto: stopping after the current step (writing a checkpoint)…");
        }

        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }
}
