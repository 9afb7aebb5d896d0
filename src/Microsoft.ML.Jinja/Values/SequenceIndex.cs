namespace Microsoft.ML.Jinja.Values;

/// <summary>Python's index rules for sequences: negative indices count from the end.</summary>
internal static class SequenceIndex
{
    public static bool TryNormalize(long index, int length, out int position)
    {
        var resolved = index < 0 ? index + length : index;
        position = (int)resolved;
        return resolved >= 0 && resolved < length;
    }
}
