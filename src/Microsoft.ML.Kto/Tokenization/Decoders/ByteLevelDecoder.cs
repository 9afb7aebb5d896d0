using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>
/// Maps byte-level characters back to bytes and decodes them as UTF-8, invalid sequences becoming U+FFFD.
/// A token containing a character outside the byte alphabet (e.g. an added token with a space) contributes its
/// own UTF-8 bytes instead.
/// </summary>
internal sealed class ByteLevelDecoder : IDecoder
{
    public static readonly ByteLevelDecoder Instance = new();

    public List<string> DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            var start = bytes.Count;
            foreach (var c in token)
            {
                var b = ByteLevelAlphabet.Decode(c);
                if (b < 0)
                {
                    bytes.RemoveRange(start, bytes.Count - start);
                    bytes.AddRange(Encoding.UTF8.GetBytes(token));
                    break;
                }

                bytes.Add((byte)b);
            }
        }

        return [Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes))];
    }
}
