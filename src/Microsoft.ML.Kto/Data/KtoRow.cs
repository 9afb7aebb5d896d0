using System.Collections.ObjectModel;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Kto.Data;

/// <summary>One unpaired KTO example: a prompt, a completion and whether the completion is desirable.</summary>
/// <remarks>
/// The JSON values it holds (messages, tools, keyword arguments, extra columns) are not copied on access:
/// treat them as read-only.
/// </remarks>
public sealed class KtoRow
{
    private static readonly IReadOnlyDictionary<string, JsonNode?> NoExtraColumns =
        ReadOnlyDictionary<string, JsonNode?>.Empty;

    /// <summary>Creates a row.</summary>
    /// <exception cref="ArgumentException">The prompt and the completion are of different kinds.</exception>
    public KtoRow(
        KtoContent prompt,
        KtoContent completion,
        bool label,
        int sourceRow,
        JsonArray? tools = null,
        JsonObject? chatTemplateKwargs = null,
        IReadOnlyDictionary<string, JsonNode?>? extraColumns = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(completion);
        if (prompt.Kind != completion.Kind)
        {
            throw new ArgumentException(
                $"The prompt is {prompt.Kind} but the completion is {completion.Kind}; both must be of the same kind.",
                nameof(completion));
        }

        Prompt = prompt;
        Completion = completion;
        Label = label;
        SourceRow = sourceRow;
        Tools = tools;
        ChatTemplateKwargs = chatTemplateKwargs;
        ExtraColumns = extraColumns ?? NoExtraColumns;
    }

    /// <summary>The prompt, of the same kind as <see cref="Completion"/>.</summary>
    public KtoContent Prompt { get; }

    /// <summary>The completion that is judged.</summary>
    public KtoContent Completion { get; }

    /// <summary>True when the completion is desirable (TRL's <c>label</c>), false when undesirable.</summary>
    public bool Label { get; }

    /// <summary>Whether prompt and completion are chat messages.</summary>
    public bool IsConversational => Completion.IsConversational;

    /// <summary>Tool (function) JSON schemas passed to the chat template, or null.</summary>
    public JsonArray? Tools { get; }

    /// <summary>Extra keyword arguments for the chat template of this row, or null.</summary>
    public JsonObject? ChatTemplateKwargs { get; }

    /// <summary>
    /// Where the row came from, for messages: the 1-based line number in a JSONL file or the 1-based position in an
    /// in-memory sequence. Both rows unpaired from one preference row share it.
    /// </summary>
    public int SourceRow { get; }

    /// <summary>Input columns that KTO does not use, copied through unchanged.</summary>
    public IReadOnlyDictionary<string, JsonNode?> ExtraColumns { get; }
}
