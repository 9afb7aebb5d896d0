using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.Kto.Models;
using Microsoft.ML.Kto.Models.Safetensors;
using static TorchSharp.torch;
using AdamW = TorchSharp.Modules.AdamW;
using Parameter = TorchSharp.Modules.Parameter;

namespace Microsoft.ML.Kto.Training;

/// <summary>
/// Checkpoints <c>checkpoint-{step}</c>: the policy in Hugging Face layout (a LoRA policy: its
/// adapter in PEFT's), the AdamW moments by parameter name, the
/// trainer counters; when AdamW updates float32 masters rather than the parameters (a bfloat16 policy, see
/// <see cref="MasterWeights"/>), the masters too, as <c>master.{name}</c> next to the moments, so a resumed run
/// continues from the same float32 values; and, when the run updates its reference model (SyncRefModel), that model in
/// Hugging Face layout in <c>ref_model/</c> (TRL saves no reference, so a resumed TRL run syncs a reference restarted
/// from the initial weights; ours resumes bit-exactly). A checkpoint is written under a temporary name and renamed when
/// complete, so every directory named <c>checkpoint-*</c> is valid even if the process stops mid-write.
/// </summary>
public static class Checkpoints
{
    private const string Prefix = "checkpoint-";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string StateFile = "trainer_state.json";
    private const string StepCountKey = "step_count";
    private const string ReferenceDirectory = "ref_model";
    private const string MasterPrefix = "master.";

    /// <summary>
    /// Writes a checkpoint (with <paramref name="reference"/>, the synced reference model, when given) and deletes the
    /// oldest ones beyond <paramref name="keep"/>.
    /// </summary>
    public static string Save(string outputDir, ICausalLM model, AdamW optimizer, TrainingState state, int? keep, ICausalLM? reference = null)
    {
        var final = Path.Combine(outputDir, Prefix + state.GlobalStep);
        var temporary = final + ".partial";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, true);
        }

        try
        {
            WriteContents(temporary, model, optimizer, state, reference);
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

    private static void WriteContents(string directory, ICausalLM model, AdamW optimizer, TrainingState state, ICausalLM? reference)
    {
        if (model is CausalLM { Lora: { } lora })
        {
            lora.SaveTrainingState(directory);
        }
        else
        {
            model.SaveTo(directory);
        }
        reference?.SaveTo(Path.Combine(directory, ReferenceDirectory));
        var moments = MomentsByName(model, optimizer);
        var tensors = moments.SelectMany(m => new[]
        {
            new KeyValuePair<string, Tensor>("exp_avg." + m.Name, m.State.exp_avg),
            new KeyValuePair<string, Tensor>("exp_avg_sq." + m.Name, m.State.exp_avg_sq),
        }.Concat(m.Master is { } master ? [new KeyValuePair<string, Tensor>(MasterPrefix + m.Name, master)] : []));
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

    /// <summary>
    /// Restores the policy's parameters, the optimizer and any masters it updates from a checkpoint, and
    /// <paramref name="reference"/> (a synced reference model) from its <c>ref_model/</c> when the checkpoint has one: a
    /// checkpoint without it comes from a run that never changed its reference, so the reference as loaded is the one
    /// that run had. Returns the counters.
    /// </summary>
    public static TrainingState Load(string checkpoint, ICausalLM model, AdamW optimizer, ICausalLM? reference = null)
    {
        var statePath = Path.Combine(checkpoint, StateFile);
        if (!File.Exists(statePath))
        {
            throw new InvalidDataException($"'{checkpoint}' is not a checkpoint (no {StateFile}). Point ResumeFromCheckpoint at an output_dir/checkpoint-N directory.");
        }

        using (NewDisposeScope())
        using (no_grad())
        {
            // A LoRA checkpoint holds the adapter in PEFT's layout; any other holds the whole model.
            using var weights = model is CausalLM { Lora: not null } ? null : OpenWeights(checkpoint);
            if (weights is null)
            {
                ((CausalLM)model).Lora!.LoadTrainingState(checkpoint);
            }
            else
            {
                ReadParameters(weights, model);
            }

            var referenceDirectory = Path.Combine(checkpoint, ReferenceDirectory);
            if (reference is not null && Directory.Exists(referenceDirectory))
            {
                using var referenceWeights = OpenWeights(referenceDirectory);
                ReadParameters(referenceWeights, reference);
            }

            using var optimizerFile = SafetensorsFile.Open(Path.Combine(checkpoint, OptimizerFile));
            var stepCount = long.Parse(optimizerFile.Metadata[StepCountKey], CultureInfo.InvariantCulture);
            var parameters = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
            foreach (var (name, master, state) in MomentsByName(model, optimizer))
            {
                optimizerFile.ReadInto(Required(optimizerFile, "exp_avg." + name), state.exp_avg);
                optimizerFile.ReadInto(Required(optimizerFile, "exp_avg_sq." + name), state.exp_avg_sq);
                state.step = stepCount;
                if (master is not null)
                {
                    // A checkpoint of a run without masters (float32, or bfloat16 before they existed) starts them from
                    // its stored weights at their stored precision (an adapter's from the loaded adapter), as a fresh run
                    // starts them from the model.
                    if (optimizerFile.Entries.ContainsKey(MasterPrefix + name))
                    {
                        optimizerFile.ReadInto(MasterPrefix + name, master);
                    }
                    else if (weights is not null)
                    {
                        weights.ReadInto(name, master);
                    }
                    else
                    {
                        master.copy_(parameters[name]);
                    }
                }
            }
        }
        return TrainingState.FromJson((JsonObject)JsonNode.Parse(File.ReadAllText(statePath))!, statePath);
    }

    private static SafetensorsFile OpenWeights(string directory) => SafetensorsFile.Open(Path.Combine(directory, "model.safetensors"));

    private static void ReadParameters(SafetensorsFile weights, ICausalLM model)
    {
        foreach (var (name, parameter) in model.Module.named_parameters())
        {
            weights.ReadInto(name, parameter);
        }
    }

    // The optimizer's per-parameter state in its parameter order (the groups of AdamWParameterGroups), named, with the
    // tensor it updates when that is a master rather than the model's parameter.
    private static List<(string Name, Parameter? Master, AdamW.State State)> MomentsByName(ICausalLM model, AdamW optimizer)
    {
        var (decay, noDecay) = AdamWParameterGroups.Split(model.Module);
        var optimized = optimizer.parameters().ToList();
        var states = optimizer.state_dict().State;
        return decay.Concat(noDecay)
            .Select((p, i) => (p.Name, ReferenceEquals(optimized[i], p.Parameter) ? null : optimized[i], (AdamW.State)states[i]))
            .ToList();
    }

    private static string Required(SafetensorsFile file, string name) =>
        file.Entries.ContainsKey(name) ? name
            : throw new InvalidDataException($"The optimizer state '{file.Path}' has no tensor '{name}'; it was saved for a different model.");
}
