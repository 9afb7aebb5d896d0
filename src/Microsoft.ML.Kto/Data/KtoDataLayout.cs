namespace Microsoft.ML.Kto.Data;

/// <summary>Which of TRL's preference dataset types the input is.</summary>
public enum KtoDataLayout
{
    /// <summary>Unpaired preference data: <c>prompt</c>, <c>completion</c>, <c>label</c>.</summary>
    Unpaired,

    /// <summary>
    /// Paired preference data: <c>chosen</c>, <c>rejected</c> and an explicit or implicit <c>prompt</c>; each row
    /// becomes a desirable and an undesirable row.
    /// </summary>
    Paired,
}
