using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Models;

/// <summary>
/// Rotary-embedding frequencies: the default <c>1/theta^(2i/d)</c>, optionally rescaled as Hugging Face's
/// <c>modeling_rope_utils</c> does for the <c>linear</c> and <c>llama3</c> types.
/// </summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, double OriginalMaxPositionEmbeddings)
{
    /// <summary>Parses a <c>rope_scaling</c> object (null or type "default" means none).</summary>
    public static RopeScaling? Parse(JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            return null;
        }

        var type = (o["rope_type"] ?? o["type"])?.GetValue<string>() ?? "default";
        double Get(string key, double fallback) => o[key] is JsonValue v ? v.GetValue<double>() : fallback;
        return type switch
        {
            "default" => null,
            "linear" => new RopeScaling(type, Get("factor", 1), 0, 0, 0),
            "llama3" => new RopeScaling(type, Get("factor", 8), Get("low_freq_factor", 1), Get("high_freq_factor", 4),
                Get("original_max_position_embeddings", 8192)),
            _ => throw new ModelFormatException(
                $"rope_scaling type '{type}' is not supported (supported: default, linear, llama3). Remove rope_scaling from config.json only if the model was trained without it."),
        };
    }

    /// <summary>Inverse frequencies for a head dimension, after scaling.</summary>
    public static double[] InverseFrequencies(int headDim, double theta, RopeScaling? scaling)
    {
        var inv = new double[headDim / 2];
        for (var i = 0; i < inv.Length; i++)
        {
            inv[i] = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
        }

        if (scaling is null)
        {
            return inv;
        }

        if (scaling.Type == "linear")
        {
            return inv.Select(f => f / scaling.Factor).ToArray();
        }

        // llama3: long wavelengths are slowed by `factor`, short ones kept, the band between interpolated.
        var lowFreqWavelen = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        var highFreqWavelen = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        return inv.Select(f =>
        {
            var wavelen = 2 * Math.PI / f;
            if (wavelen > lowFreqWavelen)
            {
                return f / scaling.Factor;
            }

            if (wavelen < highFreqWavelen)
            {
                return f;
            }

            var smooth = (scaling.OriginalMaxPositionEmbeddings / wavelen - scaling.LowFreqFactor) / (scaling.HighFreqFactor - scaling.LowFreqFactor);
            return (1 - smooth) * f / scaling.Factor + smooth * f;
        }).ToArray();
    }
}
