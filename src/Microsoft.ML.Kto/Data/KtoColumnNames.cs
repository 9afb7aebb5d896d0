namespace Microsoft.ML.Kto.Data;

/// <summary>Which input columns hold each KTO field. The defaults are TRL's column names.</summary>
public sealed record KtoColumnNames
{
    /// <summary>TRL's column names.</summary>
    public static KtoColumnNames Default { get; } = new();

    /// <summary>The prompt (optional for paired data, where it can be implicit). Default <c>prompt</c>.</summary>
    public string Prompt { get; init; } = "prompt";

    /// <summary>The completion of unpaired data. Default <c>completion</c>.</summary>
    public string Completion { get; init; } = "completion";

    /// <summary>Whether the completion of unpaired data is desirable. Default <c>label</c>.</summary>
    public string Label { get; init; } = "label";

    /// <summary>The preferred completion of paired data. Default <c>chosen</c>.</summary>
    public string Chosen { get; init; } = "chosen";

    /// <summary>The dispreferred completion of paired data. Default <c>rejected</c>.</summary>
    public string Rejected { get; init; } = "rejected";

    /// <summary>Optional tool schemas: a JSON array or a string holding one. Default <c>tools</c>.</summary>
    public string Tools { get; init; } = "tools";

    /// <summary>Optional per-row chat template arguments: a JSON object. Default <c>chat_template_kwargs</c>.</summary>
    public string ChatTemplateKwargs { get; init; } = "chat_template_kwargs";
}
