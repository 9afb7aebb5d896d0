namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>Applies decoders one after the other.</summary>
internal sealed class SequenceDecoder : IDecoder
{
    private readonly IDecoder[] steps;

    public SequenceDecoder(IDecoder[] steps) => this.steps = steps;

    public List<string> DecodeChain(List<string> tokens) => steps.Aggregate(tokens, (current, step) => step.DecodeChain(current));
}
