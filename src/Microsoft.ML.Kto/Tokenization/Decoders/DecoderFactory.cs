using Microsoft.ML.Kto.Tokenization.Json;
using Microsoft.ML.Kto.Tokenization.Normalizers;
using Microsoft.ML.Kto.Tokenization.Patterns;
using Microsoft.ML.Kto.Tokenization.PreTokenizers;

namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>Builds the decoder described by tokenizer.json's <c>decoder</c>.</summary>
internal static class DecoderFactory
{
    public static IDecoder Create(JsonSection json)
    {
        var type = json.ComponentType();
        return type switch
        {
            "ByteLevel" => ByteLevelDecoder.Instance,
            "ByteFallback" => ByteFallbackDecoder.Instance,
            "Fuse" => FuseDecoder.Instance,
            "Strip" => new StripDecoder(json.RequiredString("content"), json.OptionalInt32("start", 0), json.OptionalInt32("stop", 0)),
            "Replace" => new ReplaceDecoder(new ReplaceNormalizer(PatternFactory.Create(json.Property("pattern")), json.RequiredString("content"))),
            "Metaspace" => new MetaspaceDecoder(MetaspaceOptions.FromJson(json)),
            "Sequence" => new SequenceDecoder(json.Property("decoders").Items().Select(Create).ToArray()),
            _ => throw json.Unsupported("decoder", type),
        };
    }
}
