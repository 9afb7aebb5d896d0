using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Syntax.Nodes;

namespace Microsoft.ML.Jinja.Syntax;

/// <summary>
/// Recursive-descent parser following jinja2's <c>parser.py</c> structure and precedence, producing the
/// tree the interpreter walks. This part parses statements; the partial in ParserExpressions.cs parses expressions.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private int _index;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static IReadOnlyList<Statement> Parse(string template)
    {
        var parser = new Parser(Lexer.Tokenize(template));
        return parser.Subparse(null);
    }

    private Token Current => _tokens[_index];

    private Token Peek => _tokens[Math.Min(_index + 1, _tokens.Count - 1)];

    private Token Advance() => _tokens[_index++];

    private TemplateException Fail(string message, Token? at = null) => new(message, (at ?? Current).Line);

    /// <summary>
    /// Deepest nesting the parser accepts: parentheses, unary operators, blocks, and operator, attribute, call and
    /// filter chains (each link of which nests the tree that rendering walks recursively). Python's jinja2 stops runaway
    /// nesting with a catchable RecursionError; here unbounded recursion would exhaust the stack, which .NET cannot catch.
    /// </summary>
    internal const int MaxNesting = 256;

    private int _depth;

    private void Deeper()
    {
        Runtime.StackGuard.Ensure();
        if (++_depth > MaxNesting)
        {
            throw Fail($"The template nests expressions or blocks deeper than {MaxNesting} levels; templates from model files are untrusted, so nesting is bounded.");
        }
    }

    private T Nested<T>(Func<T> parse)
    {
        Deeper();
        try
        {
            return parse();
        }
        finally
        {
            _depth--;
        }
    }

    private Token Expect(TokenKind kind, string? text = null)
    {
        var token = Current;
        if (token.Kind != kind || (text is not null && token.Text != text))
        {
            var expected = text ?? new Token(kind, string.Empty, 0).Describe();
            throw Fail(token.Kind == TokenKind.EndOfTemplate
                ? $"unexpected end of template, expected '{expected}'."
                : $"expected token '{expected}', got '{token.Describe()}'");
        }

        return Advance();
    }

    private bool SkipIf(TokenKind kind, string text)
    {
        if (!Current.Is(kind, text))
        {
            return false;
        }

        _index++;
        return true;
    }

    private bool SkipName(string name) => SkipIf(TokenKind.Name, name);

    /// <summary>Parses until a block tag named in <paramref name="endTags"/>, leaving that tag name as the current token.</summary>
    private List<Statement> Subparse(string[]? endTags)
    {
        var body = new List<Statement>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Data:
                    Advance();
                    body.Add(new TextStatement(token.Text, token.Line));
                    break;
                case TokenKind.VariableBegin:
                    Advance();
                    body.Add(new OutputStatement(ParseTuple(), token.Line));
                    Expect(TokenKind.VariableEnd);
                    break;
                case TokenKind.BlockBegin:
                    Advance();
                    if (endTags is not null && Current.Kind == TokenKind.Name && endTags.Contains(Current.Text))
                    {
                        return body;
                    }

                    body.AddRange(ParseStatement());
                    Expect(TokenKind.BlockEnd);
                    break;
                case TokenKind.EndOfTemplate when endTags is null:
                    return body;
                case TokenKind.EndOfTemplate:
                    throw Fail($"Unexpected end of template. Jinja was looking for the following tags: {string.Join(" or ", endTags.Select(t => $"'{t}'"))}.");
                default:
                    throw Fail($"unexpected '{token.Describe()}'");
            }
        }
    }

    /// <summary>The body of a block statement: ends the opening tag, then parses to one of <paramref name="endTags"/>.</summary>
    private List<Statement> ParseBody(params string[] endTags)
    {
        SkipIf(TokenKind.Operator, ":");
        Expect(TokenKind.BlockEnd);
        return Nested(() => Subparse(endTags));
    }

    /// <summary>A body ending in exactly <paramref name="endTag"/>, consuming that tag name.</summary>
    private List<Statement> ParseBodyThrough(string endTag)
    {
        var body = ParseBody(endTag);
        Advance();
        return body;
    }

    private IEnumerable<Statement> ParseStatement()
    {
        var token = Current;
        if (token.Kind != TokenKind.Name)
        {
            throw Fail("tag name expected");
        }

        return token.Text switch
        {
            "if" => [ParseIf()],
            "for" => [ParseFor()],
            "set" => [ParseSet()],
            "macro" => [ParseMacro()],
            "call" => [ParseCallBlock()],
            "filter" => [ParseFilterBlock()],
            "with" => [ParseWith()],
            "break" => [ParseLoopControl(Completion.Break)],
            "continue" => [ParseLoopControl(Completion.Continue)],
            "generation" => ParseGeneration(),
            _ => throw Fail($"Encountered unknown tag '{token.Text}'."),
        };
    }

    private Statement ParseIf()
    {
        var line = Advance().Line;
        var branches = new List<(Expression, IReadOnlyList<Statement>)>();
        IReadOnlyList<Statement> otherwise = [];
        while (true)
        {
            var condition = ParseTuple(withCondExpr: false);
            branches.Add((condition, ParseBody("elif", "else", "endif")));
            var tag = Advance();
            if (tag.Text == "elif")
            {
                continue;
            }

            if (tag.Text == "else")
            {
                otherwise = ParseBodyThrough("endif");
            }

            return new IfStatement(branches, otherwise, line);
        }
    }

    private Statement ParseFor()
    {
        var line = Advance().Line;
        var target = ParseAssignTarget(extraEndRules: ["in"]);
        Expect(TokenKind.Name, "in");
        var iterable = ParseTuple(withCondExpr: false, extraEndRules: ["recursive"]);
        var condition = SkipName("if") ? ParseExpression() : null;
        if (Current.IsName("recursive"))
        {
            throw Fail("recursive loops are not supported");
        }

        var body = ParseBody("endfor", "else");
        IReadOnlyList<Statement> otherwise = Advance().Text == "else" ? ParseBodyThrough("endfor") : [];
        return new ForStatement(target, iterable, condition, body, otherwise, line);
    }

    private Statement ParseSet()
    {
        var line = Advance().Line;
        var target = ParseAssignTarget(withNamespace: true);
        if (SkipIf(TokenKind.Operator, "="))
        {
            return new SetStatement(target, ParseTuple(), line);
        }

        var filter = Current.IsOperator("|") ? ParseFilter(null, startInline: false) : null;
        return new SetBlockStatement(target, filter, ParseBodyThrough("endset"), line);
    }

    private Statement ParseMacro()
    {
        var line = Advance().Line;
        var name = Expect(TokenKind.Name).Text;
        var signature = ParseSignature();
        return new MacroStatement(name, signature, ParseBodyThrough("endmacro"), line);
    }

    private Statement ParseCallBlock()
    {
        var line = Advance().Line;
        var signature = Current.IsOperator("(") ? ParseSignature() : MacroSignature.Empty;
        if (ParseExpression() is not CallExpression call)
        {
            throw Fail("expected call");
        }

        return new CallBlockStatement(call, signature, ParseBodyThrough("endcall"), line);
    }

    private Statement ParseFilterBlock()
    {
        var line = Advance().Line;
        var filter = ParseFilter(null, startInline: true)!;
        return new FilterBlockStatement(filter, ParseBodyThrough("endfilter"), line);
    }

    private Statement ParseWith()
    {
        var line = Advance().Line;
        var assignments = new List<(AssignTarget, Expression)>();
        while (Current.Kind != TokenKind.BlockEnd)
        {
            if (assignments.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }

            var target = ParseAssignTarget();
            Expect(TokenKind.Operator, "=");
            assignments.Add((target, ParseExpression()));
        }

        return new WithStatement(assignments, ParseBodyThrough("endwith"), line);
    }

    private Statement ParseLoopControl(Completion completion) => new LoopControlStatement(completion, Advance().Line);

    /// <summary>transformers' <c>{% generation %}</c> only marks assistant text for masks; its body renders unchanged.</summary>
    private List<Statement> ParseGeneration()
    {
        Advance();
        return ParseBodyThrough("endgeneration");
    }

    private MacroSignature ParseSignature()
    {
        var parameters = new List<string>();
        var defaults = new Dictionary<string, Expression>(StringComparer.Ordinal);
        Expect(TokenKind.Operator, "(");
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }

            var name = Expect(TokenKind.Name).Text;
            if (SkipIf(TokenKind.Operator, "="))
            {
                defaults[name] = ParseExpression();
            }
            else if (defaults.Count > 0)
            {
                throw Fail("non-default argument follows default argument");
            }

            parameters.Add(name);
        }

        Expect(TokenKind.Operator, ")");
        return new MacroSignature(parameters, defaults);
    }

    /// <summary>A <c>set</c>/<c>for</c> target: a name, a tuple of names, or (for set) <c>namespace.attribute</c>.</summary>
    private AssignTarget ParseAssignTarget(string[]? extraEndRules = null, bool withNamespace = false)
    {
        if (withNamespace && Peek.IsOperator("."))
        {
            var name = Expect(TokenKind.Name).Text;
            Advance();
            return new NamespaceTarget(name, Expect(TokenKind.Name).Text);
        }

        var line = Current.Line;
        return ToTarget(ParseTuple(simplified: true, extraEndRules: extraEndRules), line);
    }

    private AssignTarget ToTarget(Expression expression, int line) => expression switch
    {
        NameExpression name => new NameTarget(name.Name),
        TupleExpression tuple => new TupleTarget(tuple.Items.Select(item => ToTarget(item, line)).ToList()),
        _ => throw new TemplateException($"can't assign to '{expression.GetType().Name.Replace("Expression", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}'", line),
    };
}
