namespace Microsoft.ML.Kto.Training;

/// <summary>TRL's <c>loss_type</c> values.</summary>
public enum KtoLossType
{
    /// <summary><c>kto</c>: the KTO loss of the paper, with the KL reference point.</summary>
    Kto,
    /// <summary><c>apo_zero_unpaired</c>: anchored preference optimisation (zero anchor), unpaired; no KL term.</summary>
    ApoZeroUnpaired,
}

/// <summary>Parsing and printing of <see cref="KtoLossType"/> with TRL's spellings.</summary>
public static class KtoLossTypeNames
{
    /// <summary>TRL's name of a loss type.</summary>
    public static string ToTrlName(this KtoLossType type) => type == KtoLossType.Kto ? "kto" : "apo_zero_unpaired";

    /// <summary>Parses "kto" or "apo_zero_unpaired".</summary>
    public static KtoLossType Parse(string name) => name switch
    {
        "kto" => KtoLossType.Kto,
        "apo_zero_unpaired" => KtoLossType.ApoZeroUnpaired,
        _ => throw new ArgumentException($"Unknown loss type '{name}'. Use 'kto' or 'apo_zero_unpaired'.", nameof(name)),
    };
}
