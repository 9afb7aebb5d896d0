namespace Microsoft.ML.Kto.Data;

/// <summary>Decides from the first row whether the data is unpaired or paired, as TRL does from the column names.</summary>
internal static class KtoLayoutDetector
{
    public static KtoDataLayout Detect(SourceRowReader firstRow, KtoColumnNames names)
    {
        var paired = firstRow.HasColumn(names.Chosen) || firstRow.HasColumn(names.Rejected);
        var unpaired = firstRow.HasColumn(names.Completion) || firstRow.HasColumn(names.Label);
        var where = firstRow.Location.Describe(firstRow.RowNumber);
        if (paired && unpaired)
        {
            // TRL would silently replace 'completion'/'label' with the unpaired chosen/rejected rows.
            throw new KtoDataException(
                $"{where} has both paired columns ('{names.Chosen}'/'{names.Rejected}') and unpaired columns " +
                $"('{names.Completion}'/'{names.Label}'). Keep one set, or point KtoColumnNames at the columns to use.",
                firstRow.RowNumber);
        }

        if (!paired && !unpaired)
        {
            var found = string.Join(", ", firstRow.ColumnNames.Select(name => $"'{name}'"));
            throw new KtoDataException(
                $"{where} has columns {(found.Length == 0 ? "(none)" : found)}, but KTO needs unpaired columns " +
                $"'{names.Prompt}', '{names.Completion}', '{names.Label}' or paired columns '{names.Chosen}', " +
                $"'{names.Rejected}' (and optionally '{names.Prompt}'). Rename the columns or map them with " +
                "KtoColumnNames (Prompt, Completion, Label, Chosen, Rejected).",
                firstRow.RowNumber);
        }

        return paired ? KtoDataLayout.Paired : KtoDataLayout.Unpaired;
    }
}
