namespace Microsoft.ML.Kto.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character map: printable Latin-1 bytes stand for themselves, the remaining
/// bytes are shifted to U+0100 and up, so every byte sequence becomes a string of visible characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly short[] CharToByte = BuildCharToByte();

    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>The byte a byte-level character stands for, or -1 for characters outside the alphabet.</summary>
    public static int Decode(char c) => c < CharToByte.Length ? CharToByte[c] : -1;

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var shifted = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)(256 + shifted++);
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var reverse = new short[256 + 68];
        Array.Fill(reverse, (short)-1);
        for (var b = 0; b < 256; b++)
        {
            reverse[ByteToChar[b]] = (short)b;
        }

        return reverse;
    }
}
