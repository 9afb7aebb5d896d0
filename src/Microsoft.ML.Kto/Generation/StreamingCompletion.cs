namespace Microsoft.ML.Kto.Generation;

/// <summary>
/// Turns the growing list of a completion's token ids into text that can be shown as it arrives and never has to be
/// taken back. Held back until later tokens settle it: a trailing U+FFFD (a character still split across byte-level
/// tokens), a tail that may be the start of a stop sequence, and, when tool calls are expected, everything from the
/// start of a tool call on. The final text ends before the first stop sequence, which is not part of it.
/// </summary>
internal sealed class StreamingCompletion
{
    /// <summary>The tag Hermes-style templates (Qwen2, Qwen2.5, Qwen3, …) open a tool call with.</summary>
    internal const string ToolCallTag = "<tool_call>";

    private readonly Func<int[], string> _decode;
    private readonly IReadOnlyList<string> _stopSequences;
    private readonly bool _holdToolCalls;
    private readonly List<int> _ids = [];
    private string _text = "";

    /// <param name="decode">Token ids to text (special tokens left out).</param>
    /// <param name="stopSequences">Strings that end the completion; they are cut from the text.</param>
    /// <param name="holdToolCalls">Whether tool calls may appear, so their text is held back for parsing.</param>
    public StreamingCompletion(Func<int[], string> decode, IReadOnlyList<string> stopSequences, bool holdToolCalls)
    {
        _decode = decode;
        _stopSequences = stopSequences.Where(s => s.Length > 0).ToArray();
        _holdToolCalls = holdToolCalls;
    }

    /// <summary>How many characters of the text have been handed out by <see cref="Add(int)"/>.</summary>
    public int Released { get; private set; }

    /// <summary>Whether the text contains a stop sequence.</summary>
    public bool StoppedBySequence { get; private set; }

    /// <summary>The completion's text so far, cut before the first stop sequence.</summary>
    public string Text => _text;

    /// <summary>Adds a generated token; returns the text that became final (possibly empty).</summary>
    public string Add(int token)
    {
        _ids.Add(token);
        return Settle();
    }

    /// <summary>Adds several generated tokens, decoding once; returns the text that became final (possibly empty).</summary>
    public string Add(IEnumerable<int> tokens)
    {
        _ids.AddRange(tokens);
        return Settle();
    }

    /// <summary>The text so far, cut before any stop sequence, and the part of it no later token can change.</summary>
    private string Settle()
    {
        var decoded = _decode([.. _ids]);
        var stop = FirstStop(decoded);
        StoppedBySequence = stop < decoded.Length;
        _text = decoded[..stop];
        return Release(StoppedBySequence ? stop : SettledLength(decoded));
    }

    /// <summary>The text not handed out yet, now that the completion is over.</summary>
    public string Finish() => Release(_text.Length);

    private string Release(int end)
    {
        if (end <= Released)
        {
            return "";
        }

        var released = _text[Released..end];
        Released = end;
        return released;
    }

    private int FirstStop(string decoded)
    {
        var first = decoded.Length;
        foreach (var stop in _stopSequences)
        {
            var at = decoded.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && at < first)
            {
                first = at;
            }
        }

        return first;
    }

    private int SettledLength(string decoded)
    {
        var end = decoded.EndsWith('\uFFFD') ? decoded.Length - 1 : decoded.Length;
        foreach (var stop in _stopSequences)
        {
            end = Math.Min(end, decoded.Length - LongestSuffixStarting(decoded, stop));
        }

        if (_holdToolCalls)
        {
            // Llama-3.1-style templates answer with a bare JSON call: hold an answer that opens with one.
            var trimmed = decoded.AsSpan().TrimStart();
            if (trimmed.IsEmpty || trimmed[0] == '{')
            {
                return 0;
            }

            var tag = decoded.IndexOf(ToolCallTag, StringComparison.Ordinal);
            end = Math.Min(end, tag >= 0 ? tag : decoded.Length - LongestSuffixStarting(decoded, ToolCallTag));
        }

        return Math.Max(end, 0);
    }

    /// <summary>Length of the longest proper prefix of <paramref name="marker"/> that <paramref name="decoded"/> ends with.</summary>
    private static int LongestSuffixStarting(string decoded, string marker)
    {
        for (var length = Math.Min(marker.Length - 1, decoded.Length); length > 0; length--)
        {
            if (decoded.AsSpan(decoded.Length - length).SequenceEqual(marker.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }
}
