namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>Applies decoders one after the other.</summary>
internal sealed class SequenceDecoder : IDecoder
{
    private readonly IDecoder[] _steps;

    public SequenceDecoder(IDecoder[] steps) => _steps = steps;

    public List<string> DecodeChain(List<string> tokens) => _steps.Aggregate(tokens, (current, step) => step.DecodeChain(current));
}
