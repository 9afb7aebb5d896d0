using Microsoft.ML.Kto.Torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Which tokens each row has seen so far (prompt and generated), as a [batch, vocab] boolean mask that is
/// updated in place: the per-row token sets <see cref="RepetitionPenaltyLogitsProcessor"/> penalises.
/// </summary>
public sealed class TokenPresence : IDisposable
{
    private readonly Tensor _mask;
    private readonly Tensor _flatMask;
    private readonly Tensor _true;
    private readonly long _vocabSize;
    private readonly long[] _stepIndices;

    /// <summary>Creates the mask of a batch whose rows have seen <paramref name="rows"/> (ids in [0, vocabSize)).</summary>
    public TokenPresence(IReadOnlyList<int[]> rows, int vocabSize, Device? device = null)
    {
        _vocabSize = vocabSize;
        _mask = Tensor.Zeros([rows.Count, vocabSize], DType.Bool, device).DetachFromDisposeScope();
        _flatMask = _mask.View(-1).DetachFromDisposeScope();
        _true = Tensor.Scalar(1, DType.Bool, device).DetachFromDisposeScope();
        _stepIndices = new long[rows.Count];
        Mark(rows.SelectMany((ids, row) => ids.Select(id => FlatIndex(row, id))).ToArray());
    }

    /// <summary>The mask [batch, vocab]: true where the row has seen the token. Owned by this object.</summary>
    public Tensor Mask => _mask;

    /// <summary>Records one more token for every row (<paramref name="tokens"/>[row]).</summary>
    public void Add(ReadOnlySpan<long> tokens)
    {
        if (tokens.Length != _stepIndices.Length)
            throw new ArgumentException($"Expected one token per row ({_stepIndices.Length}), got {tokens.Length}.", nameof(tokens));
        for (var row = 0; row < tokens.Length; row++) _stepIndices[row] = FlatIndex(row, tokens[row]);
        Mark(_stepIndices);
    }

    private long FlatIndex(int row, long token)
    {
        if (token < 0 || token >= _vocabSize) throw new ArgumentOutOfRangeException(nameof(token), token, $"Token ids must lie in [0, {_vocabSize}).");
        return row * _vocabSize + token;
    }

    // Writing through a flat view is a scatter into [batch, vocab] with one index tensor (the binding has no scatter).
    private void Mark(long[] flatIndices)
    {
        if (flatIndices.Length == 0) return;
        using var indices = Tensor.From(flatIndices, _mask.Device);
        _flatMask.IndexPut(indices, _true);
    }

    /// <summary>Frees the mask.</summary>
    public void Dispose()
    {
        _flatMask.Dispose();
        _mask.Dispose();
        _true.Dispose();
    }
}
