// Elementwise math, reductions and sorting.
#include "kt_common.h"
#include "kt_ops.h"

namespace {
at::Tensor unary(const at::Tensor& x, int32_t op) {
  switch (op) {
    case KT_NEG: return x.neg();
    case KT_EXP: return x.exp();
    case KT_LOG: return x.log();
    case KT_SQRT: return x.sqrt();
    case KT_RSQRT: return x.rsqrt();
    case KT_SIGMOID: return x.sigmoid();
    case KT_LOG_SIGMOID: return at::log_sigmoid(x);
    case KT_TANH: return x.tanh();
    case KT_SILU: return at::silu(x);
    case KT_GELU: return at::gelu(x);
    case KT_RELU: return x.relu();
    case KT_ABS: return x.abs();
    case KT_LOGICAL_NOT: return x.logical_not();
    case KT_SQUARE: return x.square();
    case KT_SIN: return x.sin();
    case KT_COS: return x.cos();
    case KT_GELU_TANH: return at::gelu(x, "tanh");
    case KT_ISNAN: return x.isnan();
    case KT_SIGN: return x.sign();
    case KT_RECIPROCAL: return x.reciprocal();
  }
  TORCH_CHECK(false, "unknown unary op code ", op);
}

// `b` is a Tensor or a Scalar: both overload sets exist in ATen, so one template serves both.
template <class Rhs>
at::Tensor binary(const at::Tensor& a, const Rhs& b, int32_t op) {
  switch (op) {
    case KT_ADD: return at::add(a, b);
    case KT_SUB: return at::sub(a, b);
    case KT_MUL: return at::mul(a, b);
    case KT_DIV: return at::div(a, b);
    case KT_POW: return at::pow(a, b);
    case KT_EQ: return at::eq(a, b);
    case KT_NE: return at::ne(a, b);
    case KT_LT: return at::lt(a, b);
    case KT_LE: return at::le(a, b);
    case KT_GT: return at::gt(a, b);
    case KT_GE: return at::ge(a, b);
    case KT_REMAINDER: return at::remainder(a, b);
  }
  TORCH_CHECK(false, "binary op code ", op, " is not supported with this operand kind");
}

at::Tensor tensor_only_binary(const at::Tensor& a, const at::Tensor& b, int32_t op) {
  switch (op) {
    case KT_MAXIMUM: return at::maximum(a, b);
    case KT_MINIMUM: return at::minimum(a, b);
    case KT_LOGICAL_AND: return at::logical_and(a, b);
    case KT_LOGICAL_OR: return at::logical_or(a, b);
  }
  return binary(a, b, op);
}

template <class Rhs>
void binary_inplace(at::Tensor& a, const Rhs& b, int32_t op) {
  switch (op) {
    case KT_ADD: a.add_(b); return;
    case KT_SUB: a.sub_(b); return;
    case KT_MUL: a.mul_(b); return;
    case KT_DIV: a.div_(b); return;
    case KT_POW: a.pow_(b); return;
  }
  TORCH_CHECK(false, "in-place binary op code ", op, " is not supported");
}
}  // namespace

KT_API kt_tensor kt_unary(kt_tensor t, int32_t op) { KT_GUARD(nullptr, return kt::wrap(unary(*t, op));) }

KT_API kt_tensor kt_binary(kt_tensor a, kt_tensor b, int32_t op) {
  KT_GUARD(nullptr, return kt::wrap(tensor_only_binary(*a, *b, op));)
}

// scalar_first computes `scalar op t` (e.g. 1 - x) without allocating a tensor for the scalar.
KT_API kt_tensor kt_binary_scalar(kt_tensor t, double scalar, int32_t op, int32_t scalar_first) {
  KT_GUARD(nullptr,
    if (!scalar_first) return kt::wrap(binary(*t, at::Scalar(scalar), op));
    switch (op) {
      case KT_ADD: return kt::wrap(at::add(*t, scalar));
      case KT_MUL: return kt::wrap(at::mul(*t, scalar));
      case KT_SUB: return kt::wrap(at::rsub(*t, scalar));
      case KT_DIV: return kt::wrap(at::reciprocal(*t).mul_(scalar));
      case KT_POW: return kt::wrap(at::pow(at::Scalar(scalar), *t));
    }
    TORCH_CHECK(false, "op code ", op, " with the scalar first is not supported");)
}

KT_API int32_t kt_binary_(kt_tensor a, kt_tensor b, int32_t op) {
  KT_GUARD(KT_FAIL, binary_inplace(*a, *b, op); return KT_OK;)
}

KT_API int32_t kt_binary_scalar_(kt_tensor a, double scalar, int32_t op) {
  KT_GUARD(KT_FAIL, binary_inplace(*a, at::Scalar(scalar), op); return KT_OK;)
}

KT_API kt_tensor kt_matmul(kt_tensor a, kt_tensor b) { KT_GUARD(nullptr, return kt::wrap(at::matmul(*a, *b));) }

KT_API kt_tensor kt_bmm(kt_tensor a, kt_tensor b) { KT_GUARD(nullptr, return kt::wrap(at::bmm(*a, *b));) }

KT_API kt_tensor kt_clamp(kt_tensor t, double min, double max, int32_t has_min, int32_t has_max) {
  KT_GUARD(nullptr,
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
    return kt::wrap(at::clamp(*t, lo, hi));)
}

KT_API kt_tensor kt_where(kt_tensor condition, kt_tensor a, kt_tensor b) {
  KT_GUARD(nullptr, return kt::wrap(at::where(*condition, *a, *b));)
}

KT_API kt_tensor kt_masked_fill(kt_tensor t, kt_tensor mask, double value) {
  KT_GUARD(nullptr, return kt::wrap(t->masked_fill(*mask, value));)
}

// dims == nullptr with ndim == 0 reduces over all dimensions.
KT_API kt_tensor kt_reduce(kt_tensor t, int32_t op, const int64_t* dims, int32_t ndim, int32_t keepdim) {
  KT_GUARD(nullptr,
    bool keep = keepdim != 0;
    bool all = ndim == 0;
    std::vector<int64_t> all_dims;
    if (all) for (int64_t d = 0; d < t->dim(); ++d) all_dims.push_back(d);
    at::IntArrayRef dim_ref = all ? at::IntArrayRef(all_dims) : kt::shape_of(dims, ndim);
    switch (op) {
      case KT_SUM: return kt::wrap(all && !keep ? t->sum() : t->sum(dim_ref, keep));
      case KT_MEAN: return kt::wrap(all && !keep ? t->mean() : t->mean(dim_ref, keep));
      case KT_AMAX: return kt::wrap(t->amax(dim_ref, keep));
      case KT_AMIN: return kt::wrap(t->amin(dim_ref, keep));
      case KT_LOGSUMEXP: return kt::wrap(at::logsumexp(*t, dim_ref, keep));
      case KT_PROD:
        TORCH_CHECK(all || ndim == 1, "prod reduces over all dimensions or one");
        return kt::wrap(all && !keep ? t->prod() : t->prod(dim_ref[0], keep));
    }
    TORCH_CHECK(false, "unknown reduce op code ", op);)
}

KT_API int32_t kt_max_dim(kt_tensor t, int64_t dim, int32_t keepdim, kt_tensor* values, kt_tensor* indices) {
  KT_GUARD(KT_FAIL,
    auto result = t->max(dim, keepdim != 0);
    *values = kt::wrap(std::move(std::get<0>(result)));
    *indices = kt::wrap(std::move(std::get<1>(result)));
    return KT_OK;)
}

// has_dim == 0 means over the flattened tensor.
KT_API kt_tensor kt_argmax(kt_tensor t, int64_t dim, int32_t has_dim, int32_t keepdim) {
  KT_GUARD(nullptr,
    return kt::wrap(has_dim ? t->argmax(dim, keepdim != 0) : t->argmax());)
}

KT_API kt_tensor kt_cumsum(kt_tensor t, int64_t dim) { KT_GUARD(nullptr, return kt::wrap(t->cumsum(dim));) }

KT_API int32_t kt_topk(kt_tensor t, int64_t k, int64_t dim, int32_t largest, int32_t sorted, kt_tensor* values,
                       kt_tensor* indices) {
  KT_GUARD(KT_FAIL,
    auto result = t->topk(k, dim, largest != 0, sorted != 0);
    *values = kt::wrap(std::move(std::get<0>(result)));
    *indices = kt::wrap(std::move(std::get<1>(result)));
    return KT_OK;)
}

KT_API int32_t kt_sort(kt_tensor t, int64_t dim, int32_t descending, kt_tensor* values, kt_tensor* indices) {
  KT_GUARD(KT_FAIL,
    auto result = t->sort(dim, descending != 0);
    *values = kt::wrap(std::move(std::get<0>(result)));
    *indices = kt::wrap(std::move(std::get<1>(result)));
    return KT_OK;)
}
