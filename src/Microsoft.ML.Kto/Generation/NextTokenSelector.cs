using static TorchSharp.torch;

namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Picks each row's next token from processed scores: the highest one (greedy; the first on ties, as
/// <c>argmax</c>), or a draw from their softmax with a seeded generator, so that sampling is reproducible.
/// </summary>
internal sealed class NextTokenSelector : IDisposable
{
    /// <summary>The sampling seed when the options name none.</summary>
    public const ulong DefaultSeed = 0;

    private readonly Generator? _generator;

    public NextTokenSelector(GenerationOptions options) =>
        _generator = options.DoSample ? new Generator(options.Seed ?? DefaultSeed) : null;

    /// <summary>Writes the chosen token of every row of <paramref name="scores"/> [batch, vocab] into <paramref name="tokens"/>.</summary>
    public void Select(Tensor scores, long[] tokens)
    {
        var chosen = _generator is null ? scores.argmax(-1) : scores.softmax(-1).multinomial(1, generator: _generator);
        chosen.cpu().data<long>().CopyTo(tokens, 0);
    }

    public void Dispose() => _generator?.Dispose();
}
