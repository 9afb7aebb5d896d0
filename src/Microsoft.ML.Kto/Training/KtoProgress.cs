namespace Microsoft.ML.Kto.Training;

/// <summary>What the trainer reports while it works.</summary>
/// <param name="Phase">"prepare", "reference", "train", "eval" or "save".</param>
/// <param name="Step">Optimizer steps done (or items done in prepare/reference).</param>
/// <param name="TotalSteps">Optimizer steps planned (or items to do).</param>
/// <param name="Metrics">Logged metrics when this report is a log line, else null.</param>
/// <param name="Message">A warning or note, else null.</param>
public sealed record KtoProgress(string Phase, long Step, long TotalSteps, IReadOnlyDictionary<string, double>? Metrics = null, string? Message = null)
{
    /// <summary>One readable line: "[train] step 3/10 loss 0.6931 kl 0 …", "[prepare] 120/500" or "[prepare] a warning".</summary>
    public override string ToString()
    {
        if (Message is not null)
        {
            return $"[{Phase}] {Message}";
        }

        if (Metrics is null)
        {
            return $"[{Phase}] {Step}/{TotalSteps}";
        }

        var metrics = Metrics.Select(kv => $"{kv.Key} {kv.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}");
        return $"[{Phase}] step {Step}/{TotalSteps} {string.Join(" ", metrics)}";
    }
}
