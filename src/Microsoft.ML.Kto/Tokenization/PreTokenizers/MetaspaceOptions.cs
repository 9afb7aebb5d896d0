using Microsoft.ML.Kto.Tokenization.Json;

namespace Microsoft.ML.Kto.Tokenization.PreTokenizers;

/// <summary>When Metaspace prepends its replacement character to a piece.</summary>
internal enum PrependScheme
{
    Always,
    First,
    Never,
}

/// <summary>The settings shared by the Metaspace pre-tokenizer and decoder.</summary>
internal sealed record MetaspaceOptions(string Replacement, PrependScheme PrependScheme, bool Split)
{
    public static MetaspaceOptions FromJson(JsonSection json)
    {
        var replacementJson = json.Property("replacement");
        var replacement = replacementJson.GetString();
        if (replacement.EnumerateRunes().Count() != 1)
        {
            throw replacementJson.Error("the replacement must be exactly one character");
        }

        var scheme = PrependScheme.Always;
        var hasScheme = json.TryProperty("prepend_scheme", out var schemeJson);
        if (hasScheme)
        {
            scheme = schemeJson.GetString() switch
            {
                "always" => PrependScheme.Always,
                "first" => PrependScheme.First,
                "never" => PrependScheme.Never,
                var other => throw schemeJson.Error($"unknown prepend_scheme '{other}'"),
            };
        }

        // Older files carry add_prefix_space instead; false means "never" and must not contradict prepend_scheme.
        if (json.TryProperty("add_prefix_space", out var addPrefixSpace) && !addPrefixSpace.GetBoolean())
        {
            if (hasScheme && scheme != PrependScheme.Never)
            {
                throw addPrefixSpace.Error("add_prefix_space=false contradicts prepend_scheme");
            }

            scheme = PrependScheme.Never;
        }

        return new MetaspaceOptions(replacement, scheme, json.OptionalBoolean("split", true));
    }
}
