using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Safetensors;
using static TorchSharp.torch;
using AdamW = TorchSharp.Modules.AdamW;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// Checkpoints <c>checkpoint-{step}</c>: the policy in Hugging Face layout (a LoRA policy: its adapter in PEFT's), the AdamW moments by parameter name and the
/// trainer counters. A checkpoint is written under a temporary name and renamed when complete, so every directory
/// named <c>checkpoint-*</c> is valid even if the process stops mid-write.
/// </summary>
public static class Checkpoints
{
    private const string Prefix = "checkpoint-";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string StateFile = "trainer_state.json";
    private const string StepCountKey = "step_count";

    /// <summary>Writes a checkpoint and deletes the oldest ones beyond <paramref name="keep"/>.</summary>
    public static string Save(string outputDir, ICausalLM model, AdamW optimizer, TrainingState state, int? keep)
    {
        var final = Path.Combine(outputDir, Prefix + state.GlobalStep);
        var temporary = final + ".partial";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, true);
        }

        try
        {
            WriteContents(temporary, model, optimizer, state);
        }
        catch (IOException e)
        {
            // Disk full or the like: drop the partial copy so the space goes back and only complete checkpoints remain.
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, true);
            }

            var previous = List(outputDir).LastOrDefault() is { } last ? $"the previous checkpoint '{last}' is intact" : "no earlier checkpoint exists";
            throw new IOException(
                $"Could not write checkpoint {Path.GetFileName(final)} to '{outputDir}': {e.Message.TrimEnd('.')}. Nothing was half-written and {previous}; " +
                "free space (or set SaveTotalLimit) and continue with ResumeFromCheckpoint.", e);
        }
        if (Directory.Exists(final))
        {
            Directory.Delete(final, true);
        }

        Directory.Move(temporary, final);
        if (keep is { } limit)
        {
            foreach (var old in List(outputDir).SkipLast(limit))
            {
                Directory.Delete(old, true);
            }
        }

        return final;
    }

    private static void WriteContents(string directory, ICausalLM model, AdamW optimizer, TrainingState state)
    {
        if (model is CausalLM { Lora: { } lora })
        {
            lora.SaveTrainingState(directory);
        }
        else
        {
            model.SaveTo(directory);
        }

        var moments = MomentsByName(model, optimizer);
        var tensors = moments.SelectMany(m => new[]
        {
            new KeyValuePair<string, Tensor>("exp_avg." + m.Name, m.State.exp_avg),
            new KeyValuePair<string, Tensor>("exp_avg_sq." + m.Name, m.State.exp_avg_sq),
        });
        var stepCount = moments.Count == 0 ? 0 : moments[0].State.step;
        SafetensorsIO.Write(Path.Combine(directory, OptimizerFile), tensors,
            new Dictionary<string, string> { [StepCountKey] = stepCount.ToString(CultureInfo.InvariantCulture) });
        ModelWriter.WriteJson(Path.Combine(directory, StateFile), state.ToJson());
    }

    /// <summary>Checkpoint directories in step order.</summary>
    public static IReadOnlyList<string> List(string outputDir) =>
        !Directory.Exists(outputDir) ? [] :
        Directory.GetDirectories(outputDir, Prefix + "*")
            .Select(d => (Dir: d, Step: long.TryParse(Path.GetFileName(d)[Prefix.Length..], out var s) ? s : -1))
            .Where(x => x.Step >= 0).OrderBy(x => x.Step).Select(x => x.Dir).ToList();

    /// <summary>Restores the policy's parameters and the optimizer from a checkpoint; returns the counters.</summary>
    public static TrainingState Load(string checkpoint, ICausalLM model, AdamW optimizer)
    {
        var statePath = Path.Combine(checkpoint, StateFile);
        if (!File.Exists(statePath))
        {
            throw new InvalidDataException($"'{checkpoint}' is not a checkpoint (no {StateFile}). Point ResumeFromCheckpoint at an output_dir/checkpoint-N directory.");
        }

        using (NewDisposeScope())
        using (no_grad())
        {
            if (model is CausalLM { Lora: { } lora })
            {
                lora.LoadTrainingState(checkpoint);
            }
            else
            {
                using var weights = SafetensorsFile.Open(Path.Combine(checkpoint, "model.safetensors"));
                foreach (var (name, parameter) in model.Module.named_parameters())
                {
                    weights.ReadInto(name, parameter);
                }
            }

            using var optimizerFile = SafetensorsFile.Open(Path.Combine(checkpoint, OptimizerFile));
            var stepCount = long.Parse(optimizerFile.Metadata[StepCountKey], CultureInfo.InvariantCulture);
            foreach (var (name, state) in MomentsByName(model, optimizer))
            {
                optimizerFile.ReadInto(Required(optimizerFile, "exp_avg." + name), state.exp_avg);
                optimizerFile.ReadInto(Required(optimizerFile, "exp_avg_sq." + name), state.exp_avg_sq);
                state.step = stepCount;
            }
        }
        return TrainingState.FromJson((JsonObject)JsonNode.Parse(File.ReadAllText(statePath))!, statePath);
    }

    // The optimizer's per-parameter state in its parameter order (the groups of AdamWParameterGroups), named.
    private static List<(string Name, AdamW.State State)> MomentsByName(ICausalLM model, AdamW optimizer)
    {
        var (decay, noDecay) = AdamWParameterGroups.Split(model.Module);
        var states = optimizer.state_dict().State;
        return decay.Concat(noDecay).Select((p, i) => (p.Name, (AdamW.State)states[i])).ToList();
    }

    private static string Required(SafetensorsFile file, string name) =>
        file.Entries.ContainsKey(name) ? name
            : throw new InvalidDataException($"The optimizer state '{file.Path}' has no tensor '{name}'; it was saved for a different model.");
}
