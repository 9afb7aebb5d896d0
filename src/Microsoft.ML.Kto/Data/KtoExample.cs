namespace Microsoft.ML.Kto.Data;

/// <summary>An in-memory unpaired example in the standard (plain-text) format.</summary>
public sealed record KtoExample
{
    /// <summary>The prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>The completion that is judged.</summary>
    public required string Completion { get; init; }

    /// <summary>True when the completion is desirable.</summary>
    public required bool Label { get; init; }
}
