namespace Microsoft.ML.Kto.Torch.Native;

// Operation codes of src/native/kto_torch/include/kt_ops.h: keep the numbers in sync.

internal enum UnaryOp
{
    Neg = 0, Exp = 1, Log = 2, Sqrt = 3, Rsqrt = 4, Sigmoid = 5, LogSigmoid = 6, Tanh = 7, Silu = 8, Gelu = 9,
    Relu = 10, Abs = 11, LogicalNot = 12, Square = 13, Sin = 14, Cos = 15, GeluTanh = 16, IsNan = 17, Sign = 18,
    Reciprocal = 19,
}

internal enum BinaryOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Eq = 5, Ne = 6, Lt = 7, Le = 8, Gt = 9, Ge = 10, Maximum = 11,
    Minimum = 12, LogicalAnd = 13, LogicalOr = 14, Remainder = 15,
}

internal enum ReduceOp { Sum = 0, Mean = 1, Amax = 2, Amin = 3, LogSumExp = 4, Prod = 5 }
