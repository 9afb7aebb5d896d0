using System.Runtime.InteropServices;

namespace Microsoft.ML.Kto.Torch.Native;

/// <summary>
/// The C ABI of libKtoTorchNative (src/native/kto_torch). Handles are <c>at::Tensor*</c>; calls that
/// return a handle return zero on failure, the others return 1 on success and 0 on failure.
/// Callers go through <see cref="NativeError"/> to turn failures into <see cref="TorchException"/>.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "KtoTorchNative";

    // Errors and lifecycle
    [LibraryImport(Library)] internal static partial nint kt_take_error();
    [LibraryImport(Library)] internal static partial void kt_free_string(nint text);
    [LibraryImport(Library)] internal static partial void kt_free(nint t);
    [LibraryImport(Library)] internal static partial long kt_live_tensors();
    [LibraryImport(Library)] internal static unsafe partial int kt_dim(nint t, long* dim);
    [LibraryImport(Library)] internal static unsafe partial int kt_shape(nint t, long* shape, int capacity);
    [LibraryImport(Library)] internal static unsafe partial int kt_info(nint t, int* dtype, int* deviceType, int* deviceIndex, long* numel);
    [LibraryImport(Library)] internal static unsafe partial int kt_element_size(int dtype, long* size);
    [LibraryImport(Library)] internal static partial nint kt_clone(nint t);
    [LibraryImport(Library)] internal static partial nint kt_alias(nint t);
    [LibraryImport(Library)] internal static partial nint kt_to(nint t, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial nint kt_contiguous(nint t);
    [LibraryImport(Library)] internal static unsafe partial int kt_copy_to_host(nint t, void* destination, long nbytes);
    [LibraryImport(Library)] internal static partial int kt_copy_(nint destination, nint source);
    [LibraryImport(Library)] internal static unsafe partial int kt_item_double(nint t, double* value);
    [LibraryImport(Library)] internal static unsafe partial int kt_item_long(nint t, long* value);

    // Creation and randomness
    [LibraryImport(Library)] internal static unsafe partial nint kt_from_data(void* data, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static unsafe partial nint kt_empty(long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static unsafe partial nint kt_full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial nint kt_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial nint kt_generator_new(ulong seed);
    [LibraryImport(Library)] internal static partial void kt_generator_free(nint generator);
    [LibraryImport(Library)] internal static partial nint kt_generator_get_state(nint generator);
    [LibraryImport(Library)] internal static partial int kt_generator_set_state(nint generator, nint state);
    [LibraryImport(Library)] internal static partial int kt_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static unsafe partial nint kt_random(long* shape, int ndim, int distribution, double a, double b, nint generator, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial nint kt_multinomial(nint probs, long samples, int replacement, nint generator);

    // Views and shapes
    [LibraryImport(Library)] internal static unsafe partial nint kt_view(nint t, long* shape, int ndim);
    [LibraryImport(Library)] internal static unsafe partial nint kt_reshape(nint t, long* shape, int ndim);
    [LibraryImport(Library)] internal static unsafe partial nint kt_expand(nint t, long* shape, int ndim);
    [LibraryImport(Library)] internal static unsafe partial nint kt_permute(nint t, long* dims, int ndim);
    [LibraryImport(Library)] internal static partial nint kt_transpose(nint t, long dim0, long dim1);
    [LibraryImport(Library)] internal static partial nint kt_slice(nint t, long dim, long start, long end, long step);
    [LibraryImport(Library)] internal static partial nint kt_narrow(nint t, long dim, long start, long length);
    [LibraryImport(Library)] internal static partial nint kt_select(nint t, long dim, long index);
    [LibraryImport(Library)] internal static partial nint kt_index_select(nint t, long dim, nint index);
    [LibraryImport(Library)] internal static partial nint kt_index(nint t, nint index);
    [LibraryImport(Library)] internal static partial int kt_index_put_(nint t, nint index, nint value);
    [LibraryImport(Library)] internal static partial nint kt_unsqueeze(nint t, long dim);
    [LibraryImport(Library)] internal static partial nint kt_squeeze(nint t, long dim);
    [LibraryImport(Library)] internal static partial nint kt_squeeze_all(nint t);
    [LibraryImport(Library)] internal static partial nint kt_flatten(nint t, long startDim, long endDim);
    [LibraryImport(Library)] internal static unsafe partial nint kt_cat(nint* tensors, int count, long dim);
    [LibraryImport(Library)] internal static unsafe partial int kt_chunk(nint t, long chunks, long dim, nint* output, int capacity, int* count);
    [LibraryImport(Library)] internal static partial nint kt_repeat_interleave(nint t, long repeats, long dim);
    [LibraryImport(Library)] internal static partial nint kt_triu(nint t, long diagonal);
    [LibraryImport(Library)] internal static partial nint kt_tril(nint t, long diagonal);

    // Math
    [LibraryImport(Library)] internal static partial nint kt_unary(nint t, int op);
    [LibraryImport(Library)] internal static partial nint kt_binary(nint a, nint b, int op);
    [LibraryImport(Library)] internal static partial nint kt_binary_scalar(nint t, double scalar, int op, int scalarFirst);
    [LibraryImport(Library)] internal static partial int kt_binary_(nint a, nint b, int op);
    [LibraryImport(Library)] internal static partial int kt_binary_scalar_(nint a, double scalar, int op);
    [LibraryImport(Library)] internal static partial nint kt_matmul(nint a, nint b);
    [LibraryImport(Library)] internal static partial nint kt_bmm(nint a, nint b);
    [LibraryImport(Library)] internal static partial nint kt_clamp(nint t, double min, double max, int hasMin, int hasMax);
    [LibraryImport(Library)] internal static partial nint kt_where(nint condition, nint a, nint b);
    [LibraryImport(Library)] internal static partial nint kt_masked_fill(nint t, nint mask, double value);
    [LibraryImport(Library)] internal static unsafe partial nint kt_reduce(nint t, int op, long* dims, int ndim, int keepdim);
    [LibraryImport(Library)] internal static unsafe partial int kt_max_dim(nint t, long dim, int keepdim, nint* values, nint* indices);
    [LibraryImport(Library)] internal static partial nint kt_argmax(nint t, long dim, int hasDim, int keepdim);
    [LibraryImport(Library)] internal static partial nint kt_cumsum(nint t, long dim);
    [LibraryImport(Library)] internal static unsafe partial int kt_topk(nint t, long k, long dim, int largest, int sorted, nint* values, nint* indices);
    [LibraryImport(Library)] internal static unsafe partial int kt_sort(nint t, long dim, int descending, nint* values, nint* indices);

    // Neural-network kernels
    [LibraryImport(Library)] internal static partial nint kt_softmax(nint t, long dim);
    [LibraryImport(Library)] internal static partial nint kt_log_softmax(nint t, long dim);
    [LibraryImport(Library)] internal static partial nint kt_gather(nint t, long dim, nint index);
    [LibraryImport(Library)] internal static partial nint kt_cross_entropy(nint logits, nint target, long ignoreIndex, int reduction);
    [LibraryImport(Library)] internal static partial nint kt_embedding(nint weight, nint ids);
    [LibraryImport(Library)] internal static partial nint kt_linear(nint x, nint weight, nint bias);
    [LibraryImport(Library)] internal static partial nint kt_rms_norm(nint x, nint weight, double eps);
    [LibraryImport(Library)] internal static partial nint kt_selective_log_softmax(nint logits, nint targets);
    [LibraryImport(Library)] internal static unsafe partial nint kt_selective_log_softmax_with_stats(nint logits, nint targets, nint* entropy, nint* meanLogit);
    [LibraryImport(Library)] internal static partial int kt_cpu_cache_enable(long limitBytes);
    [LibraryImport(Library)] internal static partial int kt_cpu_cache_release();
    [LibraryImport(Library)] internal static unsafe partial int kt_cpu_cache_stats(long* cachedBytes, long* allocatedBytes, long* hits, long* misses);
    [LibraryImport(Library)] internal static partial nint kt_attention(nint q, nint k, nint v, nint additiveMask, double scale);

    // Autograd
    [LibraryImport(Library)] internal static unsafe partial int kt_requires_grad(nint t, int* value);
    [LibraryImport(Library)] internal static partial int kt_set_requires_grad(nint t, int value);
    [LibraryImport(Library)] internal static partial int kt_backward(nint t, nint gradient, int retainGraph);
    [LibraryImport(Library)] internal static unsafe partial int kt_grad(nint t, nint* gradient);
    [LibraryImport(Library)] internal static partial nint kt_detach(nint t);
    [LibraryImport(Library)] internal static unsafe partial int kt_zero_grad(nint* tensors, int count);
    [LibraryImport(Library)] internal static unsafe partial int kt_set_grad_enabled(int enabled, int* previous);

    // Optimisation
    [LibraryImport(Library)] internal static unsafe partial int kt_adamw_step(nint* parameters, nint* expAvgs, nint* expAvgSqs, int count, double lr, double beta1, double beta2, double eps, double weightDecay, long step);
    [LibraryImport(Library)] internal static unsafe partial int kt_clip_grad_norm(nint* parameters, int count, double maxNorm, double* totalNorm);

    // Runtime
    [LibraryImport(Library)] internal static partial int kt_set_num_threads(int threads);
    [LibraryImport(Library)] internal static partial int kt_get_num_threads();
    [LibraryImport(Library)] internal static partial int kt_cuda_device_count();
    [LibraryImport(Library)] internal static partial nint kt_torch_version();
    [LibraryImport(Library)] internal static partial nint kt_build_config();
}
