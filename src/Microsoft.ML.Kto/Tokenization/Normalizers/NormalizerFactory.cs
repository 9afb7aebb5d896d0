using System.Text;
using Microsoft.ML.Kto.Tokenization.Json;
using Microsoft.ML.Kto.Tokenization.Patterns;

namespace Microsoft.ML.Kto.Tokenization.Normalizers;

/// <summary>Builds the normalizer described by tokenizer.json's <c>normalizer</c>.</summary>
internal static class NormalizerFactory
{
    public static INormalizer Create(JsonSection json)
    {
        var type = json.ComponentType();
        return type switch
        {
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "Prepend" => new PrependNormalizer(json.RequiredString("prepend")),
            "Replace" => new ReplaceNormalizer(PatternFactory.Create(json.Property("pattern")), json.RequiredString("content")),
            "Lowercase" => LowercaseNormalizer.Instance,
            "Strip" => new StripNormalizer(json.OptionalBoolean("strip_left", true), json.OptionalBoolean("strip_right", true)),
            "Sequence" => new SequenceNormalizer(json.Property("normalizers").Items().Select(Create).ToArray()),
            _ => throw json.Unsupported("normalizer", type),
        };
    }
}
