using System.Text;

namespace Microsoft.ML.Kto.Tokenization;

internal static class Utf16Text
{
    /// <summary>
    /// HF tokenizes UTF-8, where unpaired surrogates cannot exist; they are replaced by U+FFFD, as encoding the
    /// string to UTF-8 would do.
    /// </summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
