using Microsoft.ML.Kto.Torch.Native;

namespace Microsoft.ML.Kto.Torch;

public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Result(NativeMethods.kt_unary(Handle, (int)op));

    private Tensor Binary(Tensor other, BinaryOp op) =>
        Result(NativeMethods.kt_binary(Handle, other.Handle, (int)op), other);

    // Scalars travel as doubles: no native object is created for them.
    private Tensor BinaryScalar(double scalar, BinaryOp op, bool scalarFirst = false) =>
        Result(NativeMethods.kt_binary_scalar(Handle, scalar, (int)op, scalarFirst ? 1 : 0));

#pragma warning disable CS1591 // operators are self-describing
    public static Tensor operator +(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Add);
    public static Tensor operator -(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Sub);
    public static Tensor operator *(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Mul);
    public static Tensor operator /(Tensor a, Tensor b) => a.Binary(b, BinaryOp.Div);
    public static Tensor operator +(Tensor a, double b) => a.BinaryScalar(b, BinaryOp.Add);
    public static Tensor operator -(Tensor a, double b) => a.BinaryScalar(b, BinaryOp.Sub);
    public static Tensor operator *(Tensor a, double b) => a.BinaryScalar(b, BinaryOp.Mul);
    public static Tensor operator /(Tensor a, double b) => a.BinaryScalar(b, BinaryOp.Div);
    public static Tensor operator +(double a, Tensor b) => b.BinaryScalar(a, BinaryOp.Add, scalarFirst: true);
    public static Tensor operator -(double a, Tensor b) => b.BinaryScalar(a, BinaryOp.Sub, scalarFirst: true);
    public static Tensor operator *(double a, Tensor b) => b.BinaryScalar(a, BinaryOp.Mul, scalarFirst: true);
    public static Tensor operator /(double a, Tensor b) => b.BinaryScalar(a, BinaryOp.Div, scalarFirst: true);
    public static Tensor operator -(Tensor a) => a.Unary(UnaryOp.Neg);
#pragma warning restore CS1591

    /// <summary>Elementwise power.</summary>
    public Tensor Pow(double exponent) => BinaryScalar(exponent, BinaryOp.Pow);
    /// <summary>Elementwise power with a tensor exponent.</summary>
    public Tensor Pow(Tensor exponent) => Binary(exponent, BinaryOp.Pow);
    /// <summary>Elementwise Python-style remainder.</summary>
    public Tensor Remainder(double divisor) => BinaryScalar(divisor, BinaryOp.Remainder);
    /// <summary>Elementwise maximum of two tensors.</summary>
    public Tensor Maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
    /// <summary>Elementwise minimum of two tensors.</summary>
    public Tensor Minimum(Tensor other) => Binary(other, BinaryOp.Minimum);

    /// <summary>this == other (bool tensor).</summary>
    public Tensor Eq(Tensor other) => Binary(other, BinaryOp.Eq);
    /// <summary>this == value (bool tensor).</summary>
    public Tensor Eq(double value) => BinaryScalar(value, BinaryOp.Eq);
    /// <summary>this != other.</summary>
    public Tensor Ne(Tensor other) => Binary(other, BinaryOp.Ne);
    /// <summary>this != value.</summary>
    public Tensor Ne(double value) => BinaryScalar(value, BinaryOp.Ne);
    /// <summary>this &lt; other.</summary>
    public Tensor Lt(Tensor other) => Binary(other, BinaryOp.Lt);
    /// <summary>this &lt; value.</summary>
    public Tensor Lt(double value) => BinaryScalar(value, BinaryOp.Lt);
    /// <summary>this &lt;= other.</summary>
    public Tensor Le(Tensor other) => Binary(other, BinaryOp.Le);
    /// <summary>this &lt;= value.</summary>
    public Tensor Le(double value) => BinaryScalar(value, BinaryOp.Le);
    /// <summary>this &gt; other.</summary>
    public Tensor Gt(Tensor other) => Binary(other, BinaryOp.Gt);
    /// <summary>this &gt; value.</summary>
    public Tensor Gt(double value) => BinaryScalar(value, BinaryOp.Gt);
    /// <summary>this &gt;= other.</summary>
    public Tensor Ge(Tensor other) => Binary(other, BinaryOp.Ge);
    /// <summary>this &gt;= value.</summary>
    public Tensor Ge(double value) => BinaryScalar(value, BinaryOp.Ge);
    /// <summary>Elementwise logical and.</summary>
    public Tensor LogicalAnd(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
    /// <summary>Elementwise logical or.</summary>
    public Tensor LogicalOr(Tensor other) => Binary(other, BinaryOp.LogicalOr);
    /// <summary>Elementwise logical not.</summary>
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);

    /// <summary>e^x.</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp);
    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryOp.Log);
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    /// <summary>1/sqrt(x).</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    /// <summary>x².</summary>
    public Tensor Square() => Unary(UnaryOp.Square);
    /// <summary>|x|.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs);
    /// <summary>Sign of x (-1, 0, 1).</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign);
    /// <summary>1/x.</summary>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    /// <summary>Sine.</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin);
    /// <summary>Cosine.</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos);
    /// <summary>1/(1+e^-x).</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    /// <summary>log(sigmoid(x)), computed stably.</summary>
    public Tensor LogSigmoid() => Unary(UnaryOp.LogSigmoid);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    /// <summary>x·sigmoid(x).</summary>
    public Tensor Silu() => Unary(UnaryOp.Silu);
    /// <summary>Exact (erf) GELU.</summary>
    public Tensor Gelu() => Unary(UnaryOp.Gelu);
    /// <summary>Tanh-approximated GELU.</summary>
    public Tensor GeluTanh() => Unary(UnaryOp.GeluTanh);
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu);
    /// <summary>True where x is NaN.</summary>
    public Tensor IsNan() => Unary(UnaryOp.IsNan);

    /// <summary>Matrix product with broadcasting (as <c>torch.matmul</c>).</summary>
    public Tensor Matmul(Tensor other) => Result(NativeMethods.kt_matmul(Handle, other.Handle), other);
    /// <summary>Batched matrix product of 3-D tensors.</summary>
    public Tensor Bmm(Tensor other) => Result(NativeMethods.kt_bmm(Handle, other.Handle), other);

    /// <summary>Limits values to [min, max]; either bound may be omitted.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Result(NativeMethods.kt_clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));

    /// <summary>Elements of <paramref name="whenTrue"/> where <paramref name="condition"/> holds, else of <paramref name="whenFalse"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor whenTrue, Tensor whenFalse)
    {
        var handle = NativeMethods.kt_where(condition.Handle, whenTrue.Handle, whenFalse.Handle);
        return condition.Result(handle, whenTrue, whenFalse);
    }

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) =>
        Result(NativeMethods.kt_masked_fill(Handle, mask.Handle, value), mask);

    /// <summary>In place: this += other.</summary>
    public void AddInPlace(Tensor other) => InPlace(other, BinaryOp.Add);
    /// <summary>In place: this *= other.</summary>
    public void MulInPlace(Tensor other) => InPlace(other, BinaryOp.Mul);
    /// <summary>In place: this += value.</summary>
    public void AddInPlace(double value) => Status(NativeMethods.kt_binary_scalar_(Handle, value, (int)BinaryOp.Add));
    /// <summary>In place: this *= value.</summary>
    public void MulInPlace(double value) => Status(NativeMethods.kt_binary_scalar_(Handle, value, (int)BinaryOp.Mul));

    private void InPlace(Tensor other, BinaryOp op)
    {
        Status(NativeMethods.kt_binary_(Handle, other.Handle, (int)op));
        GC.KeepAlive(other);
    }
}
