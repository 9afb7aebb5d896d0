namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>Something that finds non-overlapping matches in text, left to right (HF <c>Pattern</c>).</summary>
internal interface ITextPattern
{
    /// <summary>Appends every match in <paramref name="text"/>, in order, to <paramref name="matches"/>.</summary>
    void FindMatches(ReadOnlySpan<char> text, List<Segment> matches);
}
