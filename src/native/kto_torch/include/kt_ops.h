// Operation codes shared with the C# binding (Microsoft.ML.Kto.Torch.Native.*Op): keep the numbers in sync.
#pragma once

enum kt_unary_op {
  KT_NEG = 0, KT_EXP = 1, KT_LOG = 2, KT_SQRT = 3, KT_RSQRT = 4, KT_SIGMOID = 5, KT_LOG_SIGMOID = 6,
  KT_TANH = 7, KT_SILU = 8, KT_GELU = 9, KT_RELU = 10, KT_ABS = 11, KT_LOGICAL_NOT = 12, KT_SQUARE = 13,
  KT_SIN = 14, KT_COS = 15, KT_GELU_TANH = 16, KT_ISNAN = 17, KT_SIGN = 18, KT_RECIPROCAL = 19
};

enum kt_binary_op {
  KT_ADD = 0, KT_SUB = 1, KT_MUL = 2, KT_DIV = 3, KT_POW = 4, KT_EQ = 5, KT_NE = 6, KT_LT = 7, KT_LE = 8,
  KT_GT = 9, KT_GE = 10, KT_MAXIMUM = 11, KT_MINIMUM = 12, KT_LOGICAL_AND = 13, KT_LOGICAL_OR = 14,
  KT_REMAINDER = 15
};

enum kt_reduce_op { KT_SUM = 0, KT_MEAN = 1, KT_AMAX = 2, KT_AMIN = 3, KT_LOGSUMEXP = 4, KT_PROD = 5 };
