namespace Microsoft.ML.Kto.Data;

/// <summary>A paired example split into its shared prompt and the two completions.</summary>
/// <param name="Prompt">The shared beginning.</param>
/// <param name="Chosen">The rest of the chosen sequence.</param>
/// <param name="Rejected">The rest of the rejected sequence.</param>
public sealed record ImplicitPromptSplit(KtoContent Prompt, KtoContent Chosen, KtoContent Rejected);
