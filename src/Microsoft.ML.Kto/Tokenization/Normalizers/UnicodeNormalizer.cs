using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>The NFC, NFD, NFKC and NFKD normalizers.</summary>
internal sealed class UnicodeNormalizer : INormalizer
{
    private readonly NormalizationForm _form;

    public UnicodeNormalizer(NormalizationForm form) => _form = form;

    public string Normalize(string text) => text.Normalize(_form);
}
