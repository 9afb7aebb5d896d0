namespace Microsoft.ML.Kto.Data;

/// <summary>
/// Which completion each row is paired with for KTO's KL estimate, as TRL does it: the dataset is cut into chunks of
/// the per-device batch size in order, and within a chunk row i takes the completion of row i-1 and row 0 that of the
/// chunk's last row. The KL input of row i is its own prompt followed by that completion.
/// </summary>
/// <remarks>
/// The pairing is fixed before training, so it only matches the micro-batches when they are drawn sequentially,
/// which is why KTO requires sequential sampling. A final chunk of one row is paired with itself (as in TRL).
/// </remarks>
public static class KlPairing
{
    /// <summary>The smallest per-device batch size for which the KL estimate uses other rows' completions.</summary>
    public const int MinimumBatchSize = 2;

    /// <summary>For each row of a dataset, the index of the row whose completion forms its KL input.</summary>
    /// <example>10 rows, batch size 4: [3, 0, 1, 2, 7, 4, 5, 6, 9, 8].</example>
    public static int[] SourceIndices(int rowCount, int perDeviceBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDeviceBatchSize, 1);
        var sources = new int[rowCount];
        for (var chunkStart = 0; chunkStart < rowCount; chunkStart += perDeviceBatchSize)
        {
            var chunkLength = Math.Min(perDeviceBatchSize, rowCount - chunkStart);
            for (var position = 0; position < chunkLength; position++)
            {
                sources[chunkStart + position] = chunkStart + SourcePositionInChunk(position, chunkLength);
            }
        }

        return sources;
    }

    /// <summary>Within a chunk of <paramref name="chunkLength"/> rows, the position whose completion row <paramref name="position"/> takes.</summary>
    public static int SourcePositionInChunk(int position, int chunkLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, chunkLength);
        return position == 0 ? chunkLength - 1 : position - 1;
    }

    /// <summary>Rejects a per-device batch size too small for the KL estimate. Call it for the <c>kto</c> loss only.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below <see cref="MinimumBatchSize"/>.</exception>
    public static void Validate(int perDeviceBatchSize)
    {
        if (perDeviceBatchSize < MinimumBatchSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(perDeviceBatchSize),
                perDeviceBatchSize,
                $"The per-device batch size is {perDeviceBatchSize}, but the 'kto' loss needs at least {MinimumBatchSize}: " +
                "its KL estimate pairs each prompt with another row's completion from the same micro-batch, and with a " +
                "single row the KL term collapses into the row's own reward (TRL #2554). Set the per-device batch size to " +
                $"{MinimumBatchSize} or more (4 or more is recommended), or use the 'apo_zero_unpaired' loss, which has no KL term.");
        }
    }
}
