namespace Microsoft.ML.Kto.Reporting;

/// <summary>One prompt answered by the model before and after training, shown side by side in the report.</summary>
/// <param name="Prompt">The prompt as given to the model.</param>
/// <param name="Before">The base model's completion.</param>
/// <param name="After">The fine-tuned model's completion.</param>
/// <param name="BeforeVerdict">A short judgement of <paramref name="Before"/> (e.g. "pass", "fail"), or null for none.</param>
/// <param name="AfterVerdict">A short judgement of <paramref name="After"/>, or null for none.</param>
public sealed record ReportSample(string Prompt, string Before, string After, string? BeforeVerdict = null, string? AfterVerdict = null);
