namespace Microsoft.ML.Kto.Data;

/// <summary>An in-memory paired preference example in the standard (plain-text) format.</summary>
public sealed record PreferenceExample
{
    /// <summary>The prompt, or null when it is the shared beginning of <see cref="Chosen"/> and <see cref="Rejected"/>.</summary>
    public string? Prompt { get; init; }

    /// <summary>The preferred completion (becomes a desirable row).</summary>
    public required string Chosen { get; init; }

    /// <summary>The dispreferred completion (becomes an undesirable row).</summary>
    public required string Rejected { get; init; }
}
