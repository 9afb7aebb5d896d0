using Microsoft.ML.Kto.Tokenization.Normalizers;

namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// The added tokens, matched in two passes like HF's <c>AddedVocabulary::extract_and_normalize</c>: tokens with
/// <c>normalized: false</c> are found in the raw text; the rest of the text is normalized piece by piece and
/// searched for the normalized forms of the <c>normalized: true</c> tokens.
/// </summary>
internal sealed class AddedVocabulary
{
    public AddedVocabulary(IReadOnlyList<AddedToken> tokens, INormalizer? normalizer)
    {
        RawMatcher = new AddedTokenMatcher(tokens.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        NormalizedMatcher = new AddedTokenMatcher(
            tokens.Where(t => t.Normalized).Select(t => (normalizer?.Normalize(t.Content) ?? t.Content, t)));
    }

    /// <summary>Finds the tokens that match the text as written.</summary>
    public AddedTokenMatcher RawMatcher { get; }

    /// <summary>Finds the tokens that match normalized text.</summary>
    public AddedTokenMatcher NormalizedMatcher { get; }
}
