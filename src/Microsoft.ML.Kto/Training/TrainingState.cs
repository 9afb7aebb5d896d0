using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Kto.Training;

/// <summary>Counters that, with the model and optimizer state, let training resume exactly (data order is sequential).</summary>
public sealed class TrainingState
{
    /// <summary>A diverging run logs NaN/Infinity (as transformers does) rather than failing to serialise them.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Optimizer steps taken.</summary>
    public long GlobalStep { get; set; }
    /// <summary>Micro-batches consumed (position in the sequential data stream).</summary>
    public long MicroBatchesDone { get; set; }
    /// <summary>Tokens processed (num_tokens).</summary>
    public long TotalTokens { get; set; }
    /// <summary>Optimizer steps the run planned (set when training starts).</summary>
    public long PlannedSteps { get; set; }
    /// <summary>True when the run stopped early because it was cancelled (at a step boundary).</summary>
    public bool Cancelled { get; set; }
    /// <summary>The newest checkpoint this run wrote, or null.</summary>
    public string? LastCheckpoint { get; set; }
    /// <summary>Every logged metrics line so far.</summary>
    public List<Dictionary<string, double>> LogHistory { get; set; } = [];

    internal JsonObject ToJson() => new()
    {
        ["global_step"] = GlobalStep,
        ["micro_batches_done"] = MicroBatchesDone,
        ["total_tokens"] = TotalTokens,
        ["log_history"] = JsonSerializer.SerializeToNode(LogHistory, JsonOptions),
    };

    internal static TrainingState FromJson(JsonObject json, string origin)
    {
        try
        {
            return new TrainingState
            {
                GlobalStep = json["global_step"]!.GetValue<long>(),
                MicroBatchesDone = json["micro_batches_done"]!.GetValue<long>(),
                TotalTokens = json["total_tokens"]!.GetValue<long>(),
                LogHistory = json["log_history"].Deserialize<List<Dictionary<string, double>>>(JsonOptions) ?? [],
            };
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or JsonException or FormatException)
        {
            throw new InvalidDataException($"'{origin}' is not a valid trainer state ({e.Message}); the checkpoint is damaged.");
        }
    }
}
