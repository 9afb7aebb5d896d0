namespace Microsoft.ML.Kto.Tokenization.Patterns;

/// <summary>A half-open UTF-16 range [Start, End) of some text.</summary>
internal readonly record struct Segment(int Start, int End)
{
    public int Length => End - Start;
}
