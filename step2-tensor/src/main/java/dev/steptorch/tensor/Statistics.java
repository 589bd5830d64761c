package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * The reductions that are not a single kernel: {@code sum}/{@code prod} over dims, {@code amax}/{@code amin} over dims,
 * {@code max}/{@code min} along a dim with their indices, {@code var}, {@code std} and {@code logsumexp}. They are written with the backend's own
 * ops (below any dispatch layer), so they run on every device and autograd records one node each.
 */
final class Statistics {
    private Statistics() {
    }

    /**
     * Sums (or multiplies) dim by dim, last dim first, after merging the neighbouring dims that
     * {@link #mergeDims} can, keeping each reduced dim as size 1; a sum over nothing is 0, a product 1.
     */
    static Tensor reduceDims(Backend be, ReduceOp op, Tensor a, boolean[] reduce, DType result) {
        if (a.dim() == 0) {
            return be.to(a, result);
        }
        if (allTrue(reduce) && a.dim() > 1) {
            // one pass over the flattened tensor instead of one per dim
            int[] ones = new int[a.dim()];
            Arrays.fill(ones, 1);
            return be.view(reduceDims(be, op, be.reshape(a, new int[] {-1}), new boolean[] {true}, result), ones);
        }
        Tensor merged = mergeDims(be, op, a, reduce, result);
        if (merged != null) {
            return merged;
        }
        Tensor cur = a;
        // innermost dim first: its lines are contiguous, and the later passes read a smaller tensor
        for (int d = a.dim() - 1; d >= 0; d--) {
            if (reduce[d]) {
                int[] shape = cur.shape();
                shape[d] = 1;
                Tensor next = be.empty(shape, result);
                if (cur.numel() == 0) {
                    be.fillKernel(next, op == ReduceOp.PROD ? 1 : 0);
                } else {
                    be.reduceKernel(op, cur, d, next, null);
                }
                cur = next;
            }
        }
        return cur == a ? be.to(a, result) : cur;
    }

    /**
     * Neighbouring dims that are both reduced, or both kept, and whose elements are evenly spaced
     * across the two, are one dim to the kernels: a convolution's bias gradient ([N, C, H, W] summed
     * over 0, 2 and 3) sums lines of H*W numbers instead of W. Null when no two dims merge.
     */
    private static Tensor mergeDims(Backend be, ReduceOp op, Tensor a, boolean[] reduce, DType result) {
        int[] shape = a.shape(), strides = a.strides();
        int[] mShape = new int[shape.length], mStrides = new int[shape.length];
        boolean[] mReduce = new boolean[shape.length];
        int k = 0;
        boolean any = false;
        for (int d = 0; d < shape.length; d++) {
            any |= reduce[d];
            if (k > 0 && mReduce[k - 1] == reduce[d] && mStrides[k - 1] == shape[d] * strides[d]) {
                mShape[k - 1] *= shape[d];
                mStrides[k - 1] = strides[d];
            } else {
                mShape[k] = shape[d];
                mStrides[k] = strides[d];
                mReduce[k++] = reduce[d];
            }
        }
        if (k == shape.length || !any) {
            return null;
        }
        Tensor lines = a.viewWith(Arrays.copyOf(mShape, k), Arrays.copyOf(mStrides, k), a.storageOffset());
        int[] kept = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            kept[d] = reduce[d] ? 1 : shape[d];
        }
        return be.view(reduceDims(be, op, lines, Arrays.copyOf(mReduce, k), result), kept);
    }

    private static boolean allTrue(boolean[] x) {
        for (boolean b : x) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    /** The largest (smallest) value over the marked dims, kept as size-1 dims. */
    static Tensor pick(Backend be, ReduceOp op, Tensor a, boolean[] reduce, boolean allDims) {
        if (a.numel() == 0 && allDims) {
            throw new IllegalArgumentException((op == ReduceOp.MAX ? "max" : "min") + "(): Expected reduction dim to be "
                    + "specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }
        Tensor cur = a.dim() == 0 ? be.view(a, new int[] {1}) : a;
        for (int d = 0; d < cur.dim(); d++) {
            if (a.dim() == 0 || reduce[d]) {
                cur = extremeAlong(be, op, cur, d)[0];
            }
        }
        return a.dim() == 0 ? be.view(cur, new int[0]) : cur;
    }

    /** [values, indices] of the extreme along dim, dim kept with size 1; bool computes as int64. */
    static Tensor[] extremeAlong(Backend be, ReduceOp op, Tensor a, int d) {
        if (a.shape()[d] == 0) {
            throw new IndexOutOfBoundsException(op.torchName() + "(): Expected reduction dim " + d + " to have non-zero size.");
        }
        boolean bool = a.dtype() == DType.BOOL;
        Tensor src = bool ? be.to(a, DType.INT64) : a;
        int[] shape = src.shape();
        shape[d] = 1;
        Tensor values = be.empty(shape, src.dtype());
        Tensor indices = be.empty(shape, DType.INT64);
        be.reduceKernel(op, src, d, values, indices);
        // the kernel works on int64; the values keep the input's dtype, as in PyTorch
        return new Tensor[] {bool ? be.to(values, DType.BOOL) : values, indices};
    }

    /** {@code [values, indices]} of the largest (MAX) or smallest (MIN) element along dim. */
    static Tensor[] extremeDim(Backend be, ReduceOp op, Tensor a, int dim, boolean keepdim) {
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor src = a.dim() == 0 ? be.view(a, new int[] {1}) : a;
        if (src.shape()[d] == 0) {
            throw new IndexOutOfBoundsException((op == ReduceOp.MAX ? "max" : "min") + "(): Expected reduction dim " + d
                    + " to have non-zero size.");
        }
        Tensor[] r = extremeAlong(be, op, src, d);
        if (keepdim && a.dim() > 0) {
            return r;
        }
        boolean[] drop = new boolean[src.dim()];
        drop[d] = true;
        return new Tensor[] {Views.dropDims(r[0], drop), Views.dropDims(r[1], drop)};
    }

    /** The mean of the squared deviations, divided by N - 1 (unbiased) or N; N - 1 = 0 gives NaN, as in PyTorch. */
    static Tensor var(Backend be, Tensor a, int[] dims, boolean unbiased, boolean keepdim) {
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
        }
        be.checkDevices("var", a);
        Tensor mean = be.reduce(ReduceOp.MEAN, a, dims, true, null);
        Tensor deviation = be.binary(BinaryOp.SUB, a, mean, null);
        Tensor squares = be.reduce(ReduceOp.SUM, be.binary(BinaryOp.MUL, deviation, deviation, null), dims, keepdim, null);
        double divisor = Math.max(0, count(a, dims) - (unbiased ? 1 : 0));
        return be.binary(BinaryOp.DIV, squares, Tensor.scalar(divisor, be.device()), null);
    }

    static Tensor std(Backend be, Tensor a, int[] dims, boolean unbiased, boolean keepdim) {
        return be.unary(UnaryOp.SQRT, var(be, a, dims, unbiased, keepdim), null);
    }

    /** The number of elements each result of a reduction over dims combines. */
    static long count(Tensor a, int[] dims) {
        if (dims.length == 0) {
            return a.numel();
        }
        long n = 1;
        for (int d : dims) {
            n *= a.dim() == 0 ? 1 : a.shape()[Shapes.wrapDim(d, a.dim())];
        }
        return n;
    }

    /**
     * {@code m + log(sum(exp(a - m)))} with m the maximum, so that nothing overflows; where the
     * maximum is infinite, m is taken as 0 so that {@code inf - inf} never makes a NaN. Integer
     * inputs compute in the default float dtype, as in PyTorch.
     */
    static Tensor logsumexp(Backend be, Tensor a, int[] dims, boolean keepdim) {
        be.checkDevices("logsumexp", a);
        Tensor x = a.dtype().isFloatingPoint() ? a : be.to(a, DType.defaultFloat());
        Tensor m = be.reduce(ReduceOp.MAX, x, dims, true, null);
        Tensor infinite = be.binary(BinaryOp.EQ, be.unary(UnaryOp.ABS, m, null), Tensor.scalar(Double.POSITIVE_INFINITY,
                be.device()), null);
        m = be.maskedFill(m, infinite, Tensor.scalar(0.0, be.device()), null);
        Tensor sum = be.reduce(ReduceOp.SUM, be.unary(UnaryOp.EXP, be.binary(BinaryOp.SUB, x, m, null), null), dims,
                keepdim, null);
        return be.binary(BinaryOp.ADD, be.unary(UnaryOp.LOG, sum, null), be.reshape(m, sum.shape()), null);
    }
}
