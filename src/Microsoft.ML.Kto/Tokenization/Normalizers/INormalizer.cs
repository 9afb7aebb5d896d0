namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Rewrites raw text before pre-tokenization (Unicode normalization, replacements, ...).</summary>
internal interface INormalizer
{
    string Normalize(string text);
}
