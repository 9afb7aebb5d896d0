using Microsoft.ML.Kto.Tokenization;

namespace Microsoft.ML.Kto.Cli;

/// <summary>
/// Prints generated tokens as they arrive. Decodes everything so far and writes only the new text, and holds back a
/// trailing U+FFFD: a character split across byte-level tokens shows up once it is complete, not as a broken glyph.
/// </summary>
internal sealed class TokenStream(HfTokenizer tokenizer, TextWriter output)
{
    private readonly List<int> _ids = [];
    private int _written;

    public void Add(int token)
    {
        _ids.Add(token);
        var text = tokenizer.Decode(_ids.ToArray(), skipSpecialTokens: true);
        Write(text, text.EndsWith('\uFFFD') ? text.Length - 1 : text.Length);
    }

    /// <summary>Writes whatever was held back: the reply ended, so a trailing incomplete character stays as it is.</summary>
    public void Finish()
    {
        var text = tokenizer.Decode(_ids.ToArray(), skipSpecialTokens: true);
        Write(text, text.Length);
    }

    private void Write(string text, int end)
    {
        if (end <= _written) return;
        output.Write(text[_written..end]);
        output.Flush();
        _written = end;
    }
}
