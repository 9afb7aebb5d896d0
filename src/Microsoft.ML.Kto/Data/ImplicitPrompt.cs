using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>
/// Recovers the prompt of paired data that has none: the longest common prefix of chosen and rejected, exactly as
/// TRL's <c>extract_prompt</c> (trl/data_utils.py) computes it.
/// </summary>
/// <remarks>
/// <para>Conversations are compared message by message (a message matches when its JSON is equal); text character by
/// character, with no snapping to word boundaries: "I like cats" / "I like cars" split as "I like ca" + "ts" / "rs".</para>
/// <para>When the first difference follows a space, the space moves to the completions ("The sky is" + " blue.").</para>
/// <para>When one sequence is a prefix of the other (or both are equal), the prompt stops one element before the end of
/// the shorter one, so that neither completion is empty (a side effect of TRL's loop that is kept for parity).</para>
/// <para>Two deliberate differences from TRL: a difference at the very first character gives an empty prompt (TRL reads
/// index -1, the last character, there), and text is split between whole Unicode code points (Python indexes code
/// points, .NET strings UTF-16 units, so a surrogate pair is never cut).</para>
/// </remarks>
public static class ImplicitPrompt
{
    /// <summary>Splits <paramref name="chosen"/> and <paramref name="rejected"/> into prompt and completions.</summary>
    /// <exception cref="ArgumentException">The two are of different kinds, or one is empty.</exception>
    public static ImplicitPromptSplit Extract(KtoContent chosen, KtoContent rejected)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        ArgumentNullException.ThrowIfNull(rejected);
        if (chosen.Kind != rejected.Kind)
        {
            throw new ArgumentException($"Chosen is {chosen.Kind} but rejected is {rejected.Kind}.", nameof(rejected));
        }

        if (chosen.IsEmpty || rejected.IsEmpty)
        {
            throw new ArgumentException("Chosen and rejected must both be non-empty to share a prompt.", chosen.IsEmpty ? nameof(chosen) : nameof(rejected));
        }

        return chosen.IsConversational
            ? SplitMessages(chosen.Messages, rejected.Messages!)
            : SplitText(chosen.Text, rejected.Text!);
    }

    private static ImplicitPromptSplit SplitText(string chosen, string rejected)
    {
        var (index, differs) = FirstDifference(Math.Min(chosen.Length, rejected.Length), i => chosen[i] == rejected[i]);
        if (index > 0 && char.IsLowSurrogate(chosen[index]) && char.IsHighSurrogate(chosen[index - 1]))
        {
            index--;
        }

        if (differs && index > 0 && chosen[index - 1] == ' ')
        {
            index--;
        }

        return new ImplicitPromptSplit(
            KtoContent.FromText(chosen[..index]),
            KtoContent.FromText(chosen[index..]),
            KtoContent.FromText(rejected[index..]));
    }

    private static ImplicitPromptSplit SplitMessages(JsonArray chosen, JsonArray rejected)
    {
        var (index, _) = FirstDifference(Math.Min(chosen.Count, rejected.Count), i => JsonNode.DeepEquals(chosen[i], rejected[i]));
        return new ImplicitPromptSplit(
            KtoContent.FromMessages(CopyRange(chosen, 0, index)),
            KtoContent.FromMessages(CopyRange(chosen, index, chosen.Count)),
            KtoContent.FromMessages(CopyRange(rejected, index, rejected.Count)));
    }

    // TRL's `for idx in range(n): ... break` leaves idx at n - 1 when nothing differs.
    private static (int Index, bool Differs) FirstDifference(int commonLength, Func<int, bool> sameAt)
    {
        for (var i = 0; i < commonLength; i++)
        {
            if (!sameAt(i))
            {
                return (i, true);
            }
        }

        return (commonLength - 1, false);
    }

    private static JsonArray CopyRange(JsonArray source, int start, int end) =>
        new(source.Take(end).Skip(start).Select(node => node?.DeepClone()).ToArray());
}
