using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization.PostProcessors;

/// <summary>Reduces tokenizer.json's <c>post_processor</c> to the special tokens it adds around a single sequence.</summary>
internal static class PostProcessorFactory
{
    public static SpecialTokenTemplate Create(JsonSection json)
    {
        var type = json.ComponentType();
        return type switch
        {
            // Only adjusts offsets.
            "ByteLevel" => SpecialTokenTemplate.Empty,
            "TemplateProcessing" => FromTemplate(json),
            "Sequence" => json.Property("processors").Items()
                .Aggregate(SpecialTokenTemplate.Empty, (inner, processor) => Create(processor).Wrap(inner)),
            _ => throw json.Unsupported("post-processor", type),
        };
    }

    private static SpecialTokenTemplate FromTemplate(JsonSection json)
    {
        var specialTokens = json.Property("special_tokens");
        var prefix = new List<int>();
        var suffix = new List<int>();
        var sawSequence = false;
        foreach (var piece in json.Property("single").Items())
        {
            if (piece.TryProperty("SpecialToken", out var special))
            {
                var name = special.RequiredString("id");
                if (!specialTokens.TryProperty(name, out var definition))
                {
                    throw special.Error($"special token '{name}' is not defined in {specialTokens.Path}");
                }

                (sawSequence ? suffix : prefix).AddRange(definition.Property("ids").Items().Select(id => id.GetTokenId()));
            }
            else if (piece.TryProperty("Sequence", out var sequence))
            {
                if (sequence.RequiredString("id") != "A" || sawSequence)
                {
                    throw sequence.Error("a single-sequence template must contain sequence A exactly once");
                }

                sawSequence = true;
            }
            else
            {
                throw piece.Error("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
            }
        }

        return sawSequence ? new SpecialTokenTemplate([.. prefix], [.. suffix]) : throw json.Error("the single template has no sequence $A");
    }
}
