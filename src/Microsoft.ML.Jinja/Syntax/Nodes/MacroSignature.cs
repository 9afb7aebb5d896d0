namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>A macro's parameters; defaults are expressions evaluated at call time, as jinja2 does.</summary>
internal sealed record MacroSignature(IReadOnlyList<string> Parameters, IReadOnlyDictionary<string, Expression> Defaults)
{
    public static readonly MacroSignature Empty = new([], new Dictionary<string, Expression>());
}
