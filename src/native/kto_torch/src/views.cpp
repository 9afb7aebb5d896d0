// Shape and view operations.
#include "kt_common.h"

KT_API kt_tensor kt_view(kt_tensor t, const int64_t* shape, int32_t ndim) {
  KT_GUARD(nullptr, return kt::wrap(t->view(kt::shape_of(shape, ndim)));)
}

KT_API kt_tensor kt_reshape(kt_tensor t, const int64_t* shape, int32_t ndim) {
  KT_GUARD(nullptr, return kt::wrap(t->reshape(kt::shape_of(shape, ndim)));)
}

KT_API kt_tensor kt_expand(kt_tensor t, const int64_t* shape, int32_t ndim) {
  KT_GUARD(nullptr, return kt::wrap(t->expand(kt::shape_of(shape, ndim)));)
}

KT_API kt_tensor kt_permute(kt_tensor t, const int64_t* dims, int32_t ndim) {
  KT_GUARD(nullptr, return kt::wrap(t->permute(kt::shape_of(dims, ndim)));)
}

KT_API kt_tensor kt_transpose(kt_tensor t, int64_t dim0, int64_t dim1) {
  KT_GUARD(nullptr, return kt::wrap(t->transpose(dim0, dim1));)
}

KT_API kt_tensor kt_slice(kt_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  KT_GUARD(nullptr, return kt::wrap(t->slice(dim, start, end, step));)
}

KT_API kt_tensor kt_narrow(kt_tensor t, int64_t dim, int64_t start, int64_t length) {
  KT_GUARD(nullptr, return kt::wrap(t->narrow(dim, start, length));)
}

KT_API kt_tensor kt_select(kt_tensor t, int64_t dim, int64_t index) {
  KT_GUARD(nullptr, return kt::wrap(t->select(dim, index));)
}

KT_API kt_tensor kt_index_select(kt_tensor t, int64_t dim, kt_tensor index) {
  KT_GUARD(nullptr, return kt::wrap(t->index_select(dim, *index));)
}

// Advanced indexing on the first dimension with a long or bool tensor: t[index].
KT_API kt_tensor kt_index(kt_tensor t, kt_tensor index) {
  KT_GUARD(nullptr, return kt::wrap(t->index({*index}));)
}

// In-place t[index] = value (first dimension), recorded by autograd like Python's setitem.
KT_API int32_t kt_index_put_(kt_tensor t, kt_tensor index, kt_tensor value) {
  KT_GUARD(KT_FAIL, t->index_put_({*index}, *value); return KT_OK;)
}

KT_API kt_tensor kt_unsqueeze(kt_tensor t, int64_t dim) { KT_GUARD(nullptr, return kt::wrap(t->unsqueeze(dim));) }

KT_API kt_tensor kt_squeeze(kt_tensor t, int64_t dim) { KT_GUARD(nullptr, return kt::wrap(t->squeeze(dim));) }

KT_API kt_tensor kt_squeeze_all(kt_tensor t) { KT_GUARD(nullptr, return kt::wrap(t->squeeze());) }

KT_API kt_tensor kt_flatten(kt_tensor t, int64_t start_dim, int64_t end_dim) {
  KT_GUARD(nullptr, return kt::wrap(t->flatten(start_dim, end_dim));)
}

KT_API kt_tensor kt_cat(const kt_tensor* tensors, int32_t count, int64_t dim) {
  KT_GUARD(nullptr, return kt::wrap(at::cat(kt::unwrap_list(tensors, count), dim));)
}

// Writes up to `capacity` chunk handles into `out`; the count is returned through `count`.
KT_API int32_t kt_chunk(kt_tensor t, int64_t chunks, int64_t dim, kt_tensor* out, int32_t capacity, int32_t* count) {
  KT_GUARD(KT_FAIL,
    auto parts = t->chunk(chunks, dim);
    TORCH_CHECK(static_cast<int64_t>(parts.size()) <= capacity, "chunk buffer too small");
    for (size_t i = 0; i < parts.size(); ++i) out[i] = kt::wrap(std::move(parts[i]));
    *count = static_cast<int32_t>(parts.size());
    return KT_OK;)
}

KT_API kt_tensor kt_repeat_interleave(kt_tensor t, int64_t repeats, int64_t dim) {
  KT_GUARD(nullptr, return kt::wrap(t->repeat_interleave(repeats, dim));)
}

KT_API kt_tensor kt_triu(kt_tensor t, int64_t diagonal) { KT_GUARD(nullptr, return kt::wrap(t->triu(diagonal));) }

KT_API kt_tensor kt_tril(kt_tensor t, int64_t diagonal) { KT_GUARD(nullptr, return kt::wrap(t->tril(diagonal));) }
