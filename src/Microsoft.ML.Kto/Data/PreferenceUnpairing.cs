namespace Microsoft.ML.Kto.Data;

/// <summary>Turns paired preference rows into unpaired rows (TRL's <c>unpair_preference_dataset</c>), in a KL-safe order.</summary>
internal static class PreferenceUnpairing
{
    /// <summary>The desirable row (chosen, label true) and the undesirable row (rejected, label false) of one pair.</summary>
    public static (KtoRow Desirable, KtoRow Undesirable) Unpair(
        KtoContent prompt, KtoContent chosen, KtoContent rejected, RowAttachments attachments) =>
        (attachments.ToRow(prompt, chosen, label: true),
         attachments.ToRow(prompt, rejected, label: false));

    /// <summary>
    /// Lays the unpaired rows out as chosen_0, rejected_1, chosen_2, rejected_3, ... followed by
    /// rejected_0, chosen_1, rejected_2, chosen_3, ...
    /// </summary>
    /// <remarks>
    /// TRL appends all rejected rows after all chosen ones; with the sequential sampling KL pairing requires, that
    /// gives single-class micro-batches (no contrast in the loss, missing per-class metrics). Plain interleaving
    /// (chosen_i, rejected_i) fixes that but breaks the KL estimate: KL pairing gives row i the completion of row i-1,
    /// so rejected_i would be paired with chosen_i, a completion written for the same prompt. This order keeps labels
    /// alternating while neighbouring rows always come from different prompts (for two or more pairs).
    /// </remarks>
    public static List<KtoRow> Order(IReadOnlyList<(KtoRow Desirable, KtoRow Undesirable)> pairs)
    {
        var rows = new List<KtoRow>(pairs.Count * 2);
        for (var i = 0; i < pairs.Count; i++)
        {
            rows.Add(i % 2 == 0 ? pairs[i].Desirable : pairs[i].Undesirable);
        }

        for (var i = 0; i < pairs.Count; i++)
        {
            rows.Add(i % 2 == 0 ? pairs[i].Undesirable : pairs[i].Desirable);
        }

        return rows;
    }
}
