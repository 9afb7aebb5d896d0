using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Which tokens each row has seen so far (prompt and generated), as a [batch, vocab] boolean mask that is
/// updated in place: the per-row token sets <see cref="RepetitionPenaltyLogitsProcessor"/> penalises.
/// </summary>
public sealed class TokenPresence : IDisposable
{
    private readonly Tensor _mask;
    private readonly long _vocabSize;

    /// <summary>Creates the mask of a batch whose rows have seen <paramref name="rows"/> (ids in [0, vocabSize)).</summary>
    public TokenPresence(IReadOnlyList<int[]> rows, int vocabSize, Device? device = null)
    {
        _vocabSize = vocabSize;
        _mask = zeros([rows.Count, vocabSize], ScalarType.Bool, device).DetachFromDisposeScope();
        for (var row = 0; row < rows.Count; row++)
        {
            if (rows[row].Length > 0)
            {
                Mark(row, rows[row].Select(id => Checked(id)).ToArray());
            }
        }
    }

    /// <summary>The mask [batch, vocab]: true where the row has seen the token. Owned by this object.</summary>
    public Tensor Mask => _mask;

    /// <summary>Records one more token for every row (<paramref name="tokens"/>[row]).</summary>
    public void Add(ReadOnlySpan<long> tokens)
    {
        if (tokens.Length != _mask.shape[0])
        {
            throw new ArgumentException($"Expected one token per row ({_mask.shape[0]}), got {tokens.Length}.", nameof(tokens));
        }

        var column = new long[tokens.Length];
        for (var row = 0; row < tokens.Length; row++)
        {
            column[row] = Checked(tokens[row]);
        }

        using var scope = NewDisposeScope();
        _mask.scatter_(1, tensor(column, [tokens.Length, 1], device: _mask.device), ones([tokens.Length, 1], ScalarType.Bool, _mask.device));
    }

    private long Checked(long token) =>
        token >= 0 && token < _vocabSize ? token : throw new ArgumentOutOfRangeException(nameof(token), token, $"Token ids must lie in [0, {_vocabSize}).");

    private void Mark(int row, long[] ids)
    {
        using var scope = NewDisposeScope();
        var index = tensor(ids, device: _mask.device);
        _mask[row].index_fill_(0, index, true);
    }

    /// <summary>Frees the mask.</summary>
    public void Dispose() => _mask.Dispose();
}
