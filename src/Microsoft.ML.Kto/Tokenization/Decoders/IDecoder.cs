namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>One step of turning token strings back into text (HF <c>Decoder::decode_chain</c>).</summary>
internal interface IDecoder
{
    List<string> DecodeChain(List<string> tokens);
}
