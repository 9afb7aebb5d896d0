using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Torch;
using Microsoft.ML.Kto.Torch.Optim;
using Microsoft.ML.Kto.Torch.Safetensors;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// Checkpoints <c>checkpoint-{step}</c>: the policy in Hugging Face layout, the optimizer moments and the trainer
/// counters. A checkpoint is written under a temporary name and renamed when complete, so every directory named
/// <c>checkpoint-*</c> is valid even if the process stops mid-write.
/// </summary>
public static class Checkpoints
{
    private const string Prefix = "checkpoint-";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string StateFile = "trainer_state.json";

    /// <summary>Writes a checkpoint and deletes the oldest ones beyond <paramref name="keep"/>.</summary>
    public static string Save(string outputDir, CausalLM model, AdamW optimizer, TrainingState state, int? keep)
    {
        var final = Path.Combine(outputDir, Prefix + state.GlobalStep);
        var temporary = final + ".partial";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, true);
        model.SaveTo(temporary);
        SafetensorsIO.Write(Path.Combine(temporary, OptimizerFile), optimizer.StateTensors(),
            new Dictionary<string, string> { ["step_count"] = optimizer.StepCount.ToString() });
        ModelWriter.WriteJson(Path.Combine(temporary, StateFile), state.ToJson());
        if (Directory.Exists(final)) Directory.Delete(final, true);
        Directory.Move(temporary, final);
        if (keep is { } limit)
            foreach (var old in List(outputDir).SkipLast(limit)) Directory.Delete(old, true);
        return final;
    }

    /// <summary>Checkpoint directories in step order.</summary>
    public static IReadOnlyList<string> List(string outputDir) =>
        !Directory.Exists(outputDir) ? [] :
        Directory.GetDirectories(outputDir, Prefix + "*")
            .Select(d => (Dir: d, Step: long.TryParse(Path.GetFileName(d)[Prefix.Length..], out var s) ? s : -1))
            .Where(x => x.Step >= 0).OrderBy(x => x.Step).Select(x => x.Dir).ToList();

    /// <summary>Restores the policy's parameters and the optimizer from a checkpoint; returns the counters.</summary>
    public static TrainingState Load(string checkpoint, CausalLM model, AdamW optimizer)
    {
        var statePath = Path.Combine(checkpoint, StateFile);
        if (!File.Exists(statePath))
            throw new InvalidDataException($"'{checkpoint}' is not a checkpoint (no {StateFile}). Point ResumeFromCheckpoint at an output_dir/checkpoint-N directory.");
        using (DisposeScope.Open())
        {
            using var weights = SafetensorsFile.Open(Path.Combine(checkpoint, "model.safetensors"));
            foreach (var (name, parameter) in model.Parameters)
                parameter.CopyFrom(weights.Read(name));
            using var optimizerFile = SafetensorsFile.Open(Path.Combine(checkpoint, OptimizerFile));
            var tensors = optimizerFile.Entries.Keys.ToDictionary(n => n, n => optimizerFile.Read(n));
            optimizer.LoadState(tensors, long.Parse(optimizerFile.Metadata["step_count"]));
        }
        return TrainingState.FromJson((JsonObject)JsonNode.Parse(File.ReadAllText(statePath))!, statePath);
    }
}
