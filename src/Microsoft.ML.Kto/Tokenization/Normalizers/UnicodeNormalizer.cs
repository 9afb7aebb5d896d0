using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>The NFC, NFD, NFKC and NFKD normalizers.</summary>
internal sealed class UnicodeNormalizer : INormalizer
{
    private readonly NormalizationForm form;

    public UnicodeNormalizer(NormalizationForm form) => this.form = form;

    public string Normalize(string text) => text.Normalize(form);
}
