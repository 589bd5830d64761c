package dev.steptorch.tensor;

/**
 * Every primitive op a device backend implements, and the one interface dispatch layers wrap.
 *
 * <p>Arguments arrive exactly as the user gave them (not yet broadcast or promoted), so that a
 * layer in front of the kernels, such as step3's autograd, sees the real inputs. {@link Backend}
 * does the checks, broadcasting and promotion once for every device.
 *
 * <p>Ops with an {@code out} parameter have three forms: {@code out == null} allocates the
 * result; {@code out == a} is the in-place form ({@code add_}); any other tensor is PyTorch's
 * {@code out=} argument. Every write into an existing tensor bumps its storage's version.
 */
public interface TensorOps {
    Device device();

    // ---- creation and movement ----

    /** An uninitialised contiguous tensor on this device. */
    Tensor empty(int[] shape, DType dtype);

    /** A copy of {@code t} (on any device) on this device. */
    Tensor toDevice(Tensor t);

    /** Fills {@code dst} with uniform [from, to) numbers from the shared seeded generator. */
    Tensor uniform_(Tensor dst, double from, double to);

    /** Fills {@code dst} with normal(mean, std) numbers from the shared seeded generator. */
    Tensor normal_(Tensor dst, double mean, double std);

    // ---- op families: one method each, the op is data (see UnaryOp, BinaryOp, ReduceOp) ----

    /** {@code op(a)} elementwise. */
    Tensor unary(UnaryOp op, Tensor a, Tensor out);

    /** {@code a op b} elementwise, broadcasting a and b together and promoting their dtypes. */
    default Tensor binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        return binary(op, a, b, 1, out);
    }

    /**
     * {@code a + alpha * b} for ADD and {@code a - alpha * b} for SUB: {@code torch.add(a, b, alpha=alpha)},
     * one pass and no temporary for {@code b * alpha}. Every other op takes alpha 1 only.
     */
    Tensor binary(BinaryOp op, Tensor a, Tensor b, double alpha, Tensor out);

    /** Reduces over {@code dims} (all dims when empty), keeping them as size 1 if {@code keepdim}. */
    Tensor reduce(ReduceOp op, Tensor a, int[] dims, boolean keepdim, Tensor out);

    // ---- more ops outside the families: statistics, indexing, products ----

    /** {@code [values, indices]} of the minimum along {@code dim}. */
    Tensor[] min(Tensor a, int dim, boolean keepdim);

    /** Variance over {@code dims} (all when empty), divided by N - 1 when {@code unbiased}, else by N. */
    Tensor var(Tensor a, int[] dims, boolean unbiased, boolean keepdim);

    /** The square root of {@link #var}. */
    Tensor std(Tensor a, int[] dims, boolean unbiased, boolean keepdim);

    /** {@code log(sum(exp(a)))} over {@code dims}, computed without overflow. */
    Tensor logsumexp(Tensor a, int[] dims, boolean keepdim);

    /** Running sums along {@code dim}; integers and bool sum to int64. */
    Tensor cumsum(Tensor a, int dim);

    /** {@code out[i][j] = a[i][index[i][j]]} for dim 1, and so on; out has index's shape. */
    Tensor gather(Tensor a, int dim, Tensor index);

    /** A copy of {@code a} with {@code src[i][j]} added at {@code [i][index[i][j]]} for dim 1, and so on. */
    Tensor scatterAdd(Tensor a, int dim, Tensor index, Tensor src);

    /** The entries of a 1-D int64 {@code index} along {@code dim}. */
    Tensor indexSelect(Tensor a, int dim, Tensor index);

    /** A copy with the order of the elements reversed along each of {@code dims}. */
    Tensor flip(Tensor a, int[] dims);

    /** Shifts circularly along each dim by its shift; with no dims, over the flattened tensor. */
    Tensor roll(Tensor a, int[] shifts, int[] dims);

    /** Zeros above the {@code diagonal}-th diagonal of the last two dims (the lower triangle kept). */
    Tensor tril(Tensor a, int diagonal);

    /** Zeros below the {@code diagonal}-th diagonal of the last two dims. */
    Tensor triu(Tensor a, int diagonal);

    /** A 1-D tensor's square diagonal matrix, or a 2-D tensor's diagonal (as a copy). */
    Tensor diag(Tensor a, int diagonal);

    /** Batched matrix product of two 3-D tensors with equal batch sizes. */
    Tensor bmm(Tensor a, Tensor b);

    /** {@code input + a @ b}, input broadcast to the product (beta = alpha = 1); out == input is {@code addmm_}. */
    Tensor addmm(Tensor input, Tensor a, Tensor b, Tensor out);

    /** The inner product of two 1-D tensors, as a 0-dim tensor. */
    Tensor dot(Tensor a, Tensor b);

    /** Matrix times vector. */
    Tensor mv(Tensor a, Tensor v);

    // ---- the ops that fit no family ----

    /** Either bound may be null (but not both). */
    Tensor clamp(Tensor a, Double min, Double max, Tensor out);

    /** {@code cond ? a : b}, all three broadcast together. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** Writes {@code value} (a 0-dim tensor) where {@code mask} is true; {@code out} as above. */
    Tensor maskedFill(Tensor a, Tensor mask, Tensor value, Tensor out);

    /** {@code [values, indices]} of the maximum along {@code dim}. */
    Tensor[] max(Tensor a, int dim, boolean keepdim);

    /** The flat index of the largest element (first on ties), as a 0-dim int64 tensor. */
    Tensor argmax(Tensor a);

    Tensor argmax(Tensor a, int dim, boolean keepdim);

    /** 2-D matrix product. */
    Tensor mm(Tensor a, Tensor b, Tensor out);

    // ---- sliding windows over [N, C, H, W] (convolution and pooling); float32 and float64 ----

    /**
     * im2col: the windows of {@code input} as columns, {@code [C * kh * kw, N * outH * outW]}.
     * Row (c, i, j) holds, for every output position of every image (image-major), the input pixel
     * at kernel offset (i, j) of channel c; padding reads as 0. PyTorch's {@code F.unfold} returns
     * the same numbers as {@code [N, C * kh * kw, L]}; this layout puts the batch in the columns
     * so a convolution is one matrix product {@code weight[outC, C*kh*kw] . cols} with long rows.
     */
    Tensor unfold(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw);

    /** col2im, the adjoint of {@link #unfold}: each entry of {@code cols} is added back to the pixel it came from. */
    Tensor fold(Tensor cols, int[] outputShape, int kh, int kw, int sh, int sw, int ph, int pw);

    /**
     * {@code [values, indices]} of 2-D max pooling, both {@code [N, C, outH, outW]}; an index is
     * the flat position {@code y * W + x} within its (n, c) plane. Padding counts as -inf, a NaN
     * wins, and among equal values the first in row-major order does.
     */
    Tensor[] maxPool2dWithIndices(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw);

    /** Sends each gradient of a max pooling's output to the input element its index names. */
    Tensor maxPool2dBackward(Tensor grad, Tensor indices, int[] inputShape);

    /**
     * Cross-correlation of every image with every filter at stride 1 without padding, what
     * {@code torch.conv2d(input, weight)} computes: input [N, C, H, W] and weight [O, C, kh, kw]
     * give [N, O, H - kh + 1, W - kw + 1], the same numbers as {@code weight . unfold(input)}. A
     * device may compute it without the columns.
     */
    Tensor correlate2d(Tensor input, Tensor weight);

    /**
     * The gradient of {@link #correlate2d}'s weight, [O, C, kh, kw], given the input and the gradient
     * of the output [N, O, outH, outW]: {@code grad . unfold(input)^T}, summed over the batch.
     */
    Tensor correlate2dWeight(Tensor input, Tensor grad, int kh, int kw);

    /**
     * The gradient of {@link #correlate2d}'s input, [N, C, outH + kh - 1, outW + kw - 1], given the
     * weight [O, C, kh, kw] and the gradient of the output [N, O, outH, outW]:
     * {@code fold(weight^T . grad)}, PyTorch's {@code torch.nn.grad.conv2d_input}.
     */
    Tensor correlate2dInput(Tensor weight, Tensor grad);

    // ---- copies and conversions ----

    /** Copies {@code src} (broadcast to dst's shape, any dtype and device) into {@code dst}. */
    Tensor copy_(Tensor dst, Tensor src);

    Tensor fill_(Tensor dst, double value);

    Tensor contiguous(Tensor a);

    Tensor clone(Tensor a);

    Tensor to(Tensor a, DType dtype);

    Tensor cat(Tensor[] tensors, int dim);

    // ---- views: metadata only, sharing storage ----

    /** {@code shape} may contain one -1. Fails when the strides cannot express the new shape. */
    Tensor view(Tensor a, int[] shape);

    /** A view when possible, otherwise a copy. */
    Tensor reshape(Tensor a, int[] shape);

    Tensor transpose(Tensor a, int dim0, int dim1);

    Tensor permute(Tensor a, int[] dims);

    Tensor select(Tensor a, int dim, int index);

    Tensor narrow(Tensor a, int dim, int start, int length);

    /** Python's {@code a[start:end:step]} along {@code dim}: ends clipped as Python does, step > 0. */
    Tensor slice(Tensor a, int dim, int start, int end, int step);

    Tensor expand(Tensor a, int[] shape);

    Tensor unsqueeze(Tensor a, int dim);

    /** Removes every size-1 dim. */
    Tensor squeeze(Tensor a);

    /** Removes {@code dim} if its size is 1. */
    Tensor squeeze(Tensor a, int dim);

    /** A new tensor object over the same storage and layout, with no history ({@code .data}). */
    Tensor alias(Tensor a);
}
