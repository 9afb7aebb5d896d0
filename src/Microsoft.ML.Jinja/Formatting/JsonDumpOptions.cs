namespace Microsoft.ML.Jinja.Formatting;

/// <summary>
/// The parameters of Python's <c>json.dumps</c> that transformers' <c>tojson</c> exposes.
/// <paramref name="Indent"/> is the per-level indent text, or null for single-line output.
/// </summary>
internal sealed record JsonDumpOptions(string? Indent, string ItemSeparator, string KeySeparator, bool SortKeys, bool EnsureAscii)
{
    /// <summary>Python's defaults: <c>', '</c> between items, except <c>','</c> when indenting (no trailing spaces).</summary>
    public static JsonDumpOptions Create(string? indent, (string Item, string Key)? separators, bool sortKeys, bool ensureAscii)
    {
        var (item, key) = separators ?? (indent is null ? ", " : ",", ": ");
        return new JsonDumpOptions(indent, item, key, sortKeys, ensureAscii);
    }
}
