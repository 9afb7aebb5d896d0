namespace Microsoft.ML.Jinja.Syntax;

internal enum TokenKind
{
    /// <summary>Literal template text between tags, after whitespace control.</summary>
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,

    /// <summary>Punctuation and operators; <see cref="Token.Text"/> holds the symbol.</summary>
    Operator,
    EndOfTemplate,
}
