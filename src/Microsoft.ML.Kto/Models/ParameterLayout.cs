namespace Microsoft.ML.Kto.Models;

/// <summary>What a parameter is, for initialisation: a matrix drawn N(0, initializer_range), a norm weight of ones, or a zero bias.</summary>
public enum ParameterKind
{
    /// <summary>Linear or embedding matrix.</summary>
    Matrix,
    /// <summary>RMSNorm scale.</summary>
    NormWeight,
    /// <summary>Linear bias.</summary>
    Bias,
}

/// <summary>One parameter of the decoder, by its Hugging Face name.</summary>
public sealed record ParameterSpec(string Name, long[] Shape, ParameterKind Kind);

/// <summary>The exact set of tensors (Hugging Face names and shapes) a config implies; drives init, strict loading and saving.</summary>
public static class ParameterLayout
{
    /// <summary>Every parameter of the model in a stable order.</summary>
    public static IReadOnlyList<ParameterSpec> For(ModelConfig c)
    {
        var specs = new List<ParameterSpec> { new("model.embed_tokens.weight", [c.VocabSize, c.HiddenSize], ParameterKind.Matrix) };
        long q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var a = $"model.layers.{i}.self_attn.";
            specs.Add(new(a + "q_proj.weight", [q, c.HiddenSize], ParameterKind.Matrix));
            specs.Add(new(a + "k_proj.weight", [kv, c.HiddenSize], ParameterKind.Matrix));
            specs.Add(new(a + "v_proj.weight", [kv, c.HiddenSize], ParameterKind.Matrix));
            specs.Add(new(a + "o_proj.weight", [c.HiddenSize, q], ParameterKind.Matrix));
            if (c.QkvBias)
            {
                specs.Add(new(a + "q_proj.bias", [q], ParameterKind.Bias));
                specs.Add(new(a + "k_proj.bias", [kv], ParameterKind.Bias));
                specs.Add(new(a + "v_proj.bias", [kv], ParameterKind.Bias));
            }
            if (c.OutputBias) specs.Add(new(a + "o_proj.bias", [c.HiddenSize], ParameterKind.Bias));
            if (c.QkNorm)
            {
                specs.Add(new(a + "q_norm.weight", [c.HeadDim], ParameterKind.NormWeight));
                specs.Add(new(a + "k_norm.weight", [c.HeadDim], ParameterKind.NormWeight));
            }
            var m = $"model.layers.{i}.mlp.";
            specs.Add(new(m + "gate_proj.weight", [c.IntermediateSize, c.HiddenSize], ParameterKind.Matrix));
            specs.Add(new(m + "up_proj.weight", [c.IntermediateSize, c.HiddenSize], ParameterKind.Matrix));
            specs.Add(new(m + "down_proj.weight", [c.HiddenSize, c.IntermediateSize], ParameterKind.Matrix));
            specs.Add(new($"model.layers.{i}.input_layernorm.weight", [c.HiddenSize], ParameterKind.NormWeight));
            specs.Add(new($"model.layers.{i}.post_attention_layernorm.weight", [c.HiddenSize], ParameterKind.NormWeight));
        }
        specs.Add(new("model.norm.weight", [c.HiddenSize], ParameterKind.NormWeight));
        if (!c.TieWordEmbeddings) specs.Add(new("lm_head.weight", [c.VocabSize, c.HiddenSize], ParameterKind.Matrix));
        return specs;
    }
}
