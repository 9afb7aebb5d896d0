using Microsoft.ML.Data;

namespace Microsoft.ML.Kto.Samples.Arithmetic;

/// <summary>One piece of checker feedback as an ML.NET row: the question, the model's answer, 👍 or 👎.</summary>
public sealed class FeedbackRow
{
    /// <summary>The sum to complete, e.g. "57+68=" (copied to the <c>prompt</c> column by the pipeline).</summary>
    [ColumnName("question")] public string Question { get; set; } = "";
    /// <summary>The model's sampled answer.</summary>
    [ColumnName("completion")] public string Completion { get; set; } = "";
    /// <summary>True when the checker accepted the answer.</summary>
    [ColumnName("label")] public bool Label { get; set; }
}

/// <summary>A sum to answer.</summary>
public sealed class QuestionRow
{
    /// <summary>The sum, e.g. "57+68=".</summary>
    [ColumnName("prompt")] public string Prompt { get; set; } = "";
}

/// <summary>The model's answer to a <see cref="QuestionRow"/>.</summary>
public sealed class AnswerRow
{
    /// <summary>The generated completion.</summary>
    [ColumnName("generated_completion")] public string Answer { get; set; } = "";
}
