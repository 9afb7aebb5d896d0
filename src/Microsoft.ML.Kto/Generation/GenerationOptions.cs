namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// How <see cref="TextGenerator"/> decodes: the settings of a Hugging Face <c>generation_config.json</c>
/// (same names in .NET casing, same defaults and meanings as <c>transformers</c>' <c>GenerationConfig</c>).
/// Derive variants with <c>with</c>: <c>options with { MaxNewTokens = 32 }</c>.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary><c>max_new_tokens</c>: the most tokens generated per prompt (the prompt not counted).</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary><c>do_sample</c>: draw each token from the processed distribution; false picks the most likely token (greedy).</summary>
    public bool DoSample { get; init; }

    /// <summary><c>temperature</c>: logits are divided by it before sampling (strictly positive; only used when sampling).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary><c>top_k</c>: sample only among the k most likely tokens; 0 turns it off (only used when sampling).</summary>
    public int TopK { get; init; } = 50;

    /// <summary><c>top_p</c>: sample only among the most likely tokens whose probabilities add up to at least p; 1 turns it off (only used when sampling).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>
    /// <c>repetition_penalty</c>: scores of tokens already present in the prompt or the generated text are divided by it
    /// when positive and multiplied by it when negative; 1 turns it off. Applies to greedy decoding too.
    /// </summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary><c>eos_token_id</c>: tokens that end a sequence (and are kept as its last token); null uses the model config's.</summary>
    public IReadOnlyList<int>? EosTokenIds { get; init; }

    /// <summary><c>pad_token_id</c>: fills left padding and finished rows; null uses the model config's, else the first end-of-sequence token.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>
    /// <c>stop_strings</c>: generation of a row ends once its decoded text contains one of them, right after the token
    /// that completed it. Needs a decoder passed to <see cref="TextGenerator.Generate"/>.
    /// </summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Seed of the sampling generator, so that sampled generations are reproducible; null uses a fixed default.</summary>
    public ulong? Seed { get; init; }

    /// <summary>
    /// Reads a Hugging Face <c>generation_config.json</c>. Keys it does not name keep the defaults above; a JSON
    /// <c>null</c> turns a processor off as in <c>transformers</c>. <c>max_length</c> is not read, since its meaning
    /// depends on the prompt length: set <see cref="MaxNewTokens"/> instead.
    /// </summary>
    public static GenerationOptions FromGenerationConfig(string path) => GenerationConfigReader.Read(path);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that <c>transformers</c> would reject.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 0)
        {
            throw Invalid(nameof(MaxNewTokens), MaxNewTokens, "must be 0 or more");
        }

        if (RepetitionPenalty <= 0 || double.IsNaN(RepetitionPenalty))
        {
            throw Invalid(nameof(RepetitionPenalty), RepetitionPenalty, "must be strictly positive (1 turns it off)");
        }

        if (StopStrings.Any(string.IsNullOrEmpty))
        {
            throw Invalid(nameof(StopStrings), "an empty string", "must hold non-empty strings");
        }

        if (!DoSample)
        {
            return;
        }

        if (Temperature <= 0 || double.IsNaN(Temperature))
        {
            throw Invalid(nameof(Temperature), Temperature, "must be strictly positive when sampling; for greedy decoding set DoSample = false");
        }

        if (TopK < 0)
        {
            throw Invalid(nameof(TopK), TopK, "must be 0 (off) or more");
        }

        if (!(TopP is >= 0 and <= 1))
        {
            throw Invalid(nameof(TopP), TopP, "must lie in [0, 1] (1 turns it off)");
        }
    }

    private static ArgumentException Invalid(string name, object value, string rule) =>
        new($"GenerationOptions.{name} ({value}) {rule}.");
}
