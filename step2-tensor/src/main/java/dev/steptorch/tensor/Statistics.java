package dev.steptorch.tensor;

/**
 * The reductions that are not a single kernel: {@code amax}/{@code amin} over dims,
 * {@code max}/{@code min} along a dim with their indices, {@code var}, {@code std} and {@code logsumexp}. They are written with the backend's own
 * ops (below any dispatch layer), so they run on every device and autograd records one node each.
 */
final class Statistics {
    private Statistics() {
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
