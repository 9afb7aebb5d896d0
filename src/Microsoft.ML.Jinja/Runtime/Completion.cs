namespace Microsoft.ML.Jinja.Runtime;

/// <summary>How a statement finished; break/continue travel up as values rather than exceptions.</summary>
internal enum Completion
{
    Normal,
    Break,
    Continue,
}
