using System.Globalization;
using System.Text;

namespace Microsoft.ML.Kto.Tokenization.Decoders;

/// <summary>
/// Turns runs of <c>&lt;0xXX&gt;</c> byte tokens back into text. A run that is not valid UTF-8 becomes one U+FFFD
/// per byte (HF's rule, which differs from ordinary lossy decoding).
/// </summary>
internal sealed class ByteFallbackDecoder : IDecoder
{
    public static readonly ByteFallbackDecoder Instance = new();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pendingBytes = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByteToken(token, out var b))
            {
                pendingBytes.Add(b);
                continue;
            }

            Flush(pendingBytes, result);
            result.Add(token);
        }

        Flush(pendingBytes, result);
        return result;
    }

    private static bool TryParseByteToken(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static void Flush(List<byte> bytes, List<string> result)
    {
        if (bytes.Count == 0)
        {
            return;
        }

        try
        {
            result.Add(StrictUtf8.GetString(bytes.ToArray()));
        }
        catch (DecoderFallbackException)
        {
            result.AddRange(Enumerable.Repeat("\uFFFD", bytes.Count));
        }

        bytes.Clear();
    }
}
