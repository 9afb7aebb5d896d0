using System.Text;

namespace Microsoft.ML.Kto.Reporting;

/// <summary>Escaping shared by the HTML page and its inline SVG, which are parsed as one document.</summary>
internal static class Markup
{
    /// <summary>Escapes text for element content and quoted attributes alike.</summary>
    /// <remarks>
    /// Model outputs can hold any character; C0 controls other than tab and newlines are not allowed in XML,
    /// so they become U+FFFD rather than making the SVG invalid.
    /// </remarks>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                case '\t' or '\n' or '\r': escaped.Append(c); break;
                case < ' ': escaped.Append('\uFFFD'); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }
}
