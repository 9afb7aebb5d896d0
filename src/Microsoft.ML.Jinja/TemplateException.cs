namespace Microsoft.ML.Jinja;

/// <summary>
/// A template failed to parse or render. <see cref="Exception.Message"/> is the message jinja2 would
/// raise (for <c>raise_exception(msg)</c> it is exactly <c>msg</c>); syntax errors also carry the line.
/// </summary>
public sealed class TemplateException : Exception
{
    /// <summary>An error raised while rendering, with jinja2's message.</summary>
    public TemplateException(string message)
        : base(message)
    {
    }

    /// <summary>A syntax error at a 1-based template line.</summary>
    public TemplateException(string message, int line)
        : base($"{message} (line {line})")
    {
        Line = line;
    }

    /// <summary>The 1-based template line of a syntax error; null for errors raised while rendering.</summary>
    public int? Line { get; }
}
