using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax;

/// <summary>A lexed token; literals carry their decoded value.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, Value? Literal = null)
{
    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsName(string name) => Is(TokenKind.Name, name);

    public bool IsOperator(string symbol) => Is(TokenKind.Operator, symbol);

    /// <summary>How jinja2 names a token in "expected ..., got ..." messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfTemplate => "end of template",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.BlockBegin => "begin of statement block",
        TokenKind.VariableBegin => "begin of print statement",
        _ => Text,
    };
}
