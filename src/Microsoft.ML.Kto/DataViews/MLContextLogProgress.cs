using Microsoft.ML.Kto.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Kto.DataViews;

/// <summary>
/// Sends training progress to ML.NET's log (<c>MLContext.Log</c>) through a channel of the context, as ML.NET's own
/// trainers do: warnings as warnings, metrics lines and phase progress as information.
/// </summary>
internal sealed class MLContextLogProgress(IChannelProvider host) : IProgress<KtoProgress>, IDisposable
{
    private readonly IChannel _channel = host.Start("KtoTrainer");

    public void Report(KtoProgress value)
    {
        if (value.Message is not null)
        {
            _channel.Warning(MessageSensitivity.None, value.ToString());
        }
        else
        {
            _channel.Info(MessageSensitivity.None, value.ToString());
        }
    }

    public void Dispose() => _channel.Dispose();
}

/// <summary>Reports to several receivers in order.</summary>
internal sealed class FanOutProgress<T>(IReadOnlyList<IProgress<T>> receivers) : IProgress<T>
{
    public static IProgress<T>? Of(params IProgress<T>?[] receivers)
    {
        var present = receivers.OfType<IProgress<T>>().ToList();
        return present.Count switch { 0 => null, 1 => present[0], _ => new FanOutProgress<T>(present) };
    }

    public void Report(T value)
    {
        foreach (var receiver in receivers)
        {
            receiver.Report(value);
        }
    }
}
