using Microsoft.ML.Jinja.Runtime;
using Microsoft.ML.Jinja.Values;

namespace Microsoft.ML.Jinja.Syntax.Nodes;

/// <summary>An arithmetic operator: <c>+ - * / // % **</c>.</summary>
internal sealed class BinaryExpression : Expression
{
    private readonly Expression _left;
    private readonly Expression _right;
    private readonly Func<Value, Value, Value> _operation;

    public BinaryExpression(string op, Expression left, Expression right, int line)
        : base(line)
    {
        _left = left;
        _right = right;
        _operation = op switch
        {
            "+" => Arithmetic.Add,
            "-" => Arithmetic.Subtract,
            "*" => Arithmetic.Multiply,
            "/" => Arithmetic.Divide,
            "//" => Arithmetic.FloorDivide,
            "%" => Arithmetic.Modulo,
            "**" => Arithmetic.Power,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an arithmetic operator"),
        };
    }

    public override Value Evaluate(RenderContext context) => _operation(_left.Evaluate(context), _right.Evaluate(context));
}
