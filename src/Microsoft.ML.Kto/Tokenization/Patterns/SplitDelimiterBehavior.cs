namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>What to do with the matched delimiters when splitting (HF <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitDelimiterBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}
