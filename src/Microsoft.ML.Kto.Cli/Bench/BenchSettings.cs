namespace Microsoft.ML.Kto.Cli.Bench;

/// <summary>The model shape, data shape and run length of one <c>kto bench</c> run (the flags).</summary>
internal sealed record BenchSettings
{
    public int Layers { get; init; } = 4;
    public int Hidden { get; init; } = 256;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int Intermediate { get; init; } = 688;
    public int Vocab { get; init; } = 32000;
    public int Batch { get; init; } = 8;
    public int PromptLength { get; init; } = 64;
    public int CompletionLength { get; init; } = 192;
    public int Warmup { get; init; } = 2;
    public int Steps { get; init; } = 5;
    public bool PrecomputeRef { get; init; }
    public bool GradientCheckpointing { get; init; }
    public string DType { get; init; } = "float32";
    public string Device { get; init; } = "cpu";
    public int Seed { get; init; }

    /// <summary>Steps between checkpoints written through the trainer's real path to a temporary directory (0: none).</summary>
    public int SaveSteps { get; init; }

    /// <summary>LoRA rank on every linear layer of the decoder, with the adapters-off reference (0: full fine-tuning with a frozen copy).</summary>
    public int LoraR { get; init; }

    public int SequenceLength => PromptLength + CompletionLength;
}
