using Microsoft.ML.Kto.Training;

namespace Microsoft.ML.Kto.Tests;

/// <summary>A progress sink that reports synchronously (Progress&lt;T&gt; posts to the thread pool, too late to cancel at a given step).</summary>
internal sealed class SyncProgress(Action<KtoProgress> report) : IProgress<KtoProgress>
{
    public void Report(KtoProgress value) => report(value);
}
