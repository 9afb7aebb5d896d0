using Microsoft.ML.Jinja.Builtins;
using Microsoft.ML.Jinja.Syntax.Nodes;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax;

/// <summary>
/// Expression grammar, loosest to tightest binding: conditional, <c>or</c>, <c>and</c>, <c>not</c>, comparisons,
/// <c>+ -</c>, <c>~</c>, <c>* / // %</c>, <c>**</c>, unary <c>- +</c>, then primaries with postfix access,
/// calls, filters and tests.
/// </summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> CompareOperators = ["==", "!=", "<", "<=", ">", ">="];

    private bool IsTupleEnd(string[]? extraEndRules) =>
        Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd
        || Current.IsOperator(")")
        || (extraEndRules is not null && Current.Kind == TokenKind.Name && extraEndRules.Contains(Current.Text));

    /// <summary>Comma-separated expressions; a single one without a trailing comma is returned as-is.</summary>
    private Expression ParseTuple(bool simplified = false, bool withCondExpr = true, string[]? extraEndRules = null, bool explicitParentheses = false)
    {
        var line = Current.Line;
        var items = new List<Expression>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }

            if (IsTupleEnd(extraEndRules))
            {
                break;
            }

            items.Add(simplified ? ParsePrimary() : ParseExpression(withCondExpr));
            if (Current.IsOperator(","))
            {
                isTuple = true;
            }
            else
            {
                break;
            }
        }

        if (!isTuple)
        {
            if (items.Count > 0)
            {
                return items[0];
            }

            if (!explicitParentheses)
            {
                throw Fail($"Expected an expression, got '{Current.Describe()}'");
            }
        }

        return new TupleExpression(items, line);
    }

    private Expression ParseExpression(bool withCondExpr = true) => Nested(() => withCondExpr ? ParseConditional() : ParseOr());

    private Expression ParseConditional()
    {
        var line = Current.Line;
        var expression = ParseOr();
        while (SkipName("if"))
        {
            var condition = ParseOr();
            var otherwise = SkipName("else") ? ParseConditional() : null;
            expression = new ConditionalExpression(condition, expression, otherwise, line);
            line = Current.Line;
        }

        return expression;
    }

    private Expression ParseOr() => LeftChain(ParseAnd, () => Current.IsName("or"), left =>
    {
        var line = Advance().Line;
        return new LogicalExpression(isAnd: false, left, ParseAnd(), line);
    });

    private Expression ParseAnd() => LeftChain(ParseNot, () => Current.IsName("and"), left =>
    {
        var line = Advance().Line;
        return new LogicalExpression(isAnd: true, left, ParseNot(), line);
    });

    private Expression ParseNot()
    {
        if (Current.IsName("not"))
        {
            var line = Advance().Line;
            return new NotExpression(Nested(ParseNot), line);
        }

        return ParseCompare();
    }

    private Expression ParseCompare()
    {
        var line = Current.Line;
        var first = ParseMath1();
        var rest = new List<(string, Expression)>();
        while (true)
        {
            if (Current.Kind == TokenKind.Operator && CompareOperators.Contains(Current.Text))
            {
                var op = Advance().Text;
                rest.Add((op, ParseMath1()));
            }
            else if (SkipName("in"))
            {
                rest.Add(("in", ParseMath1()));
            }
            else if (Current.IsName("not") && Peek.IsName("in"))
            {
                _index += 2;
                rest.Add(("not in", ParseMath1()));
            }
            else
            {
                break;
            }
        }

        return rest.Count == 0 ? first : new CompareExpression(first, rest, line);
    }

    private Expression ParseMath1() => LeftChain(ParseConcat, () => Current.IsOperator("+") || Current.IsOperator("-"), left =>
    {
        var op = Advance();
        return new BinaryExpression(op.Text, left, ParseConcat(), op.Line);
    });

    private Expression ParseConcat()
    {
        var line = Current.Line;
        var parts = new List<Expression> { ParseMath2() };
        while (SkipIf(TokenKind.Operator, "~"))
        {
            parts.Add(ParseMath2());
        }

        return parts.Count == 1 ? parts[0] : new ConcatExpression(parts, line);
    }

    private Expression ParseMath2() => LeftChain(ParsePower, () => Current.Kind == TokenKind.Operator && Current.Text is "*" or "/" or "//" or "%", left =>
    {
        var op = Advance();
        return new BinaryExpression(op.Text, left, ParsePower(), op.Line);
    });

    private Expression ParsePower() => LeftChain(() => ParseUnary(), () => Current.IsOperator("**"), left =>
    {
        var op = Advance();
        return new BinaryExpression("**", left, ParseUnary(), op.Line);
    });

    /// <summary>
    /// A left-associative operator chain (<c>a or b or c</c>, <c>a + b - c</c>): each link nests the tree one level
    /// deeper, so each counts against <see cref="MaxNesting"/> until the chain ends.
    /// </summary>
    private Expression LeftChain(Func<Expression> operand, Func<bool> continues, Func<Expression, Expression> link)
    {
        var mark = _depth;
        var left = operand();
        while (continues())
        {
            Deeper();
            left = link(left);
        }

        _depth = mark;
        return left;
    }

    /// <summary>As in jinja2, <c>-x|f</c> negates before filtering only the operand: <c>-(x)</c> then <c>|f</c> applies to the whole.</summary>
    private Expression ParseUnary(bool withFilter = true)
    {
        Expression node;
        if (Current.IsOperator("-") || Current.IsOperator("+"))
        {
            var op = Advance();
            node = new UnaryExpression(op.Text == "-", Nested(() => ParseUnary(withFilter: false)), op.Line);
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        return withFilter ? ParseFilterExpression(node) : node;
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                Advance();
                return token.Text switch
                {
                    "true" or "True" => new ConstantExpression(BooleanValue.True, token.Line),
                    "false" or "False" => new ConstantExpression(BooleanValue.False, token.Line),
                    "none" or "None" => new ConstantExpression(NoneValue.Instance, token.Line),
                    _ => new NameExpression(token.Text, token.Line),
                };
            case TokenKind.String:
                // Adjacent literals concatenate, as in Python.
                var text = new System.Text.StringBuilder();
                while (Current.Kind == TokenKind.String)
                {
                    text.Append(((StringValue)Advance().Literal!).Value);
                }

                return new ConstantExpression(new StringValue(text.ToString()), token.Line);
            case TokenKind.Integer or TokenKind.Float:
                Advance();
                return new ConstantExpression(token.Literal!, token.Line);
            case TokenKind.Operator when token.Text == "(":
                Advance();
                var inner = ParseTuple(explicitParentheses: true);
                Expect(TokenKind.Operator, ")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                return ParseList();
            case TokenKind.Operator when token.Text == "{":
                return ParseDict();
            default:
                throw Fail(token.Kind == TokenKind.EndOfTemplate ? "unexpected end of template" : $"unexpected '{token.Describe()}'");
        }
    }

    private Expression ParseList()
    {
        var line = Advance().Line;
        var items = new List<Expression>();
        while (!Current.IsOperator("]"))
        {
            if (items.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }

            if (Current.IsOperator("]"))
            {
                break;
            }

            items.Add(ParseExpression());
        }

        Expect(TokenKind.Operator, "]");
        return new ListExpression(items, line);
    }

    private Expression ParseDict()
    {
        var line = Advance().Line;
        var pairs = new List<(Expression, Expression)>();
        while (!Current.IsOperator("}"))
        {
            if (pairs.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }

            if (Current.IsOperator("}"))
            {
                break;
            }

            var key = ParseExpression();
            Expect(TokenKind.Operator, ":");
            pairs.Add((key, ParseExpression()));
        }

        Expect(TokenKind.Operator, "}");
        return new DictExpression(pairs, line);
    }

    private Expression ParsePostfix(Expression node)
    {
        var mark = _depth;
        while (true)
        {
            Deeper();
            if (Current.IsOperator(".") || Current.IsOperator("["))
            {
                node = ParseSubscript(node);
            }
            else if (Current.IsOperator("("))
            {
                var line = Current.Line;
                node = new CallExpression(node, ParseCallArguments(), line);
            }
            else
            {
                _depth = mark;
                return node;
            }
        }
    }

    private Expression ParseFilterExpression(Expression node)
    {
        var mark = _depth;
        while (true)
        {
            Deeper();
            if (Current.IsOperator("|"))
            {
                node = ParseFilter(node, startInline: false)!;
            }
            else if (Current.IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (Current.IsOperator("("))
            {
                var line = Current.Line;
                node = new CallExpression(node, ParseCallArguments(), line);
            }
            else
            {
                _depth = mark;
                return node;
            }
        }
    }

    private Expression ParseSubscript(Expression node)
    {
        var token = Advance();
        if (token.IsOperator("."))
        {
            var attribute = Advance();
            return attribute.Kind switch
            {
                TokenKind.Name => new AttributeExpression(node, attribute.Text, token.Line),
                TokenKind.Integer => new ItemExpression(node, new ConstantExpression(attribute.Literal!, attribute.Line), token.Line),
                _ => throw Fail("expected name or number", attribute),
            };
        }

        var keys = new List<Expression>();
        while (!Current.IsOperator("]"))
        {
            if (keys.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
            }

            keys.Add(ParseSubscribed());
        }

        Expect(TokenKind.Operator, "]");
        var key = keys.Count == 1 ? keys[0] : new TupleExpression(keys, token.Line);
        return new ItemExpression(node, key, token.Line);
    }

    /// <summary>One subscript: an expression or a slice with optional start, stop and step.</summary>
    private Expression ParseSubscribed()
    {
        var line = Current.Line;
        Expression none = new ConstantExpression(NoneValue.Instance, line);
        Expression start = none;
        if (!Current.IsOperator(":"))
        {
            start = ParseExpression();
            if (!Current.IsOperator(":"))
            {
                return start;
            }
        }

        Advance();
        var stop = IsSliceEnd() || Current.IsOperator(":") ? none : ParseExpression();
        var step = none;
        if (SkipIf(TokenKind.Operator, ":") && !IsSliceEnd())
        {
            step = ParseExpression();
        }

        return new SliceExpression(start, stop, step, line);
    }

    private bool IsSliceEnd() => Current.IsOperator("]") || Current.IsOperator(",");

    private ArgumentList ParseCallArguments()
    {
        var open = Expect(TokenKind.Operator, "(");
        var positional = new List<Expression>();
        var keywords = new List<(string, Expression)>();
        Expression? spreadPositional = null;
        Expression? spreadKeywords = null;
        var requireComma = false;
        while (!Current.IsOperator(")"))
        {
            if (requireComma)
            {
                Expect(TokenKind.Operator, ",");
                if (Current.IsOperator(")"))
                {
                    break;
                }
            }

            if (SkipIf(TokenKind.Operator, "*"))
            {
                Ensure(spreadPositional is null && spreadKeywords is null, open);
                spreadPositional = ParseExpression();
            }
            else if (SkipIf(TokenKind.Operator, "**"))
            {
                Ensure(spreadKeywords is null, open);
                spreadKeywords = ParseExpression();
            }
            else if (Current.Kind == TokenKind.Name && Peek.IsOperator("="))
            {
                Ensure(spreadKeywords is null, open);
                var name = Advance().Text;
                Advance();
                keywords.Add((name, ParseExpression()));
            }
            else
            {
                Ensure(spreadPositional is null && spreadKeywords is null && keywords.Count == 0, open);
                positional.Add(ParseExpression());
            }

            requireComma = true;
        }

        Expect(TokenKind.Operator, ")");
        return new ArgumentList(positional, keywords, spreadPositional, spreadKeywords);
    }

    private void Ensure(bool valid, Token open)
    {
        if (!valid)
        {
            throw Fail("invalid syntax for function call expression", open);
        }
    }

    /// <summary>A <c>|name(args)</c> chain; with <paramref name="startInline"/> the first name has no leading pipe (filter blocks).</summary>
    private FilterExpression? ParseFilter(Expression? node, bool startInline)
    {
        FilterExpression? result = null;
        while (Current.IsOperator("|") || startInline)
        {
            if (!startInline)
            {
                Advance();
            }

            var name = Expect(TokenKind.Name);
            if (!FilterRegistry.TryGet(name.Text, out var filter))
            {
                throw Fail($"No filter named '{name.Text}'.", name);
            }

            var arguments = Current.IsOperator("(") ? ParseCallArguments() : ArgumentList.Empty;
            result = new FilterExpression(node, filter, arguments, name.Line);
            node = result;
            startInline = false;
        }

        return result;
    }

    private Expression ParseTest(Expression node)
    {
        var isToken = Advance();
        var negated = SkipName("not");
        var name = Expect(TokenKind.Name);
        if (!TestRegistry.TryGet(name.Text, out var test))
        {
            throw Fail($"No test named '{name.Text}'.", name);
        }

        ArgumentList arguments;
        if (Current.IsOperator("("))
        {
            arguments = ParseCallArguments();
        }
        else if (StartsTestArgument())
        {
            if (Current.IsName("is"))
            {
                throw Fail("You cannot chain multiple tests with is");
            }

            arguments = new ArgumentList([ParsePostfix(ParsePrimary())], [], null, null);
        }
        else
        {
            arguments = ArgumentList.Empty;
        }

        Expression result = new TestExpression(node, test, arguments, isToken.Line);
        return negated ? new NotExpression(result, isToken.Line) : result;
    }

    /// <summary>jinja2 lets a test take one argument without parentheses: <c>x is divisibleby 3</c>.</summary>
    private bool StartsTestArgument() =>
        Current.Kind switch
        {
            TokenKind.Name => Current.Text is not ("else" or "or" or "and"),
            TokenKind.String or TokenKind.Integer or TokenKind.Float => true,
            TokenKind.Operator => Current.Text is "(" or "[" or "{",
            _ => false,
        };
}
