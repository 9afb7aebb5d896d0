namespace Microsoft.ML.Kto.Tokenization.PostProcessors;

/// <summary>
/// What post-processing does to the ids of a single sequence: special tokens before and after it.
/// (Type ids, offsets and pair templates do not affect the ids of one sequence.)
/// </summary>
internal sealed record SpecialTokenTemplate(int[] Prefix, int[] Suffix)
{
    public static readonly SpecialTokenTemplate Empty = new([], []);

    /// <summary>This template applied after <paramref name="inner"/>: the outer tokens wrap the inner ones.</summary>
    public SpecialTokenTemplate Wrap(SpecialTokenTemplate inner) => new([.. Prefix, .. inner.Prefix], [.. inner.Suffix, .. Suffix]);
}
