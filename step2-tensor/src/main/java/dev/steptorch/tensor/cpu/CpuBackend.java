package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.Backend;
import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.ReduceOp;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Storage;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.UnaryOp;
import dev.steptorch.tensor.Window2d;

/**
 * The kernels of {@code Device.CPU}: plain Java loops over the storage arrays. Elementwise ops
 * walk their operands row by row ({@link StridedRows}); the float32 ops of training (arithmetic,
 * comparisons, clamp, masked_fill) and float64 arithmetic get their own loops in {@link FloatLoops},
 * and everything else computes in the double or long lane of {@link Lanes}. Matrix products go
 * to {@link FloatGemm} and step1's {@code MatMul}.
 */
public final class CpuBackend extends Backend {
    public CpuBackend() {
        super(Device.CPU);
        VectorWarmup.start();
    }

    private static Object data(Tensor t) {
        return ((CpuStorage) t.storage()).array();
    }

    private static boolean lanesAreLong(DType dtype) {
        return !dtype.isFloatingPoint();
    }

    /** float32 without columns ({@link DirectConvolution}); float64 by the default, im2col. */
    @Override
    protected Tensor correlate2dKernel(Tensor input, Tensor weight) {
        if (input.dtype() != DType.FLOAT32) {
            return super.correlate2dKernel(input, weight);
        }
        int[] in = input.shape();
        Tensor out = empty(new int[] {in[0], weight.size(0), in[2] - weight.size(2) + 1, in[3] - weight.size(3) + 1}, DType.FLOAT32);
        DirectConvolution.forward(input, weight, out);
        return out;
    }

    @Override
    protected Tensor correlate2dWeightKernel(Tensor input, Tensor grad, int kh, int kw) {
        if (input.dtype() != DType.FLOAT32) {
            return super.correlate2dWeightKernel(input, grad, kh, kw);
        }
        Tensor out = empty(new int[] {grad.size(1), input.size(1), kh, kw}, DType.FLOAT32);
        DirectConvolution.weightGrad(input, grad, out);
        return out;
    }

    @Override
    protected Tensor correlate2dInputKernel(Tensor weight, Tensor grad) {
        if (weight.dtype() != DType.FLOAT32) {
            return super.correlate2dInputKernel(weight, grad);
        }
        int[] g = grad.shape();
        Tensor out = empty(new int[] {g[0], weight.size(1), g[2] + weight.size(2) - 1, g[3] + weight.size(3) - 1}, DType.FLOAT32);
        DirectConvolution.inputGrad(weight, grad, out);
        return out;
    }

    @Override
    protected Storage allocate(DType dtype, int size) {
        return new CpuStorage(dtype, size);
    }

    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, double alpha, Tensor out) {
        Object x = data(a), y = data(b), z = data(out);
        int[][] strides = {a.strides(), b.strides(), out.strides()};
        int[] offsets = {a.storageOffset(), b.storageOffset(), out.storageOffset()};
        if (alpha != 1) {
            // only add and sub get here: a - alpha * b is a + (-alpha) * b
            scaledAdd(x, y, z, op == BinaryOp.SUB ? -alpha : alpha, out.shape(), strides, offsets, a.dtype());
            return;
        }
        if (x instanceof float[] && z instanceof float[] && FloatLoops.handles(op)) {
            StridedRows.forEach(out.shape(), strides, offsets, (o0, s0, o1, s1, o2, s2, len) ->
                    FloatLoops.binary(op, (float[]) x, o0, s0, (float[]) y, o1, s1, (float[]) z, o2, s2, len));
            return;
        }
        if (x instanceof float[] && op.isComparison()) {
            StridedRows.forEach(out.shape(), strides, offsets, (o0, s0, o1, s1, o2, s2, len) ->
                    FloatLoops.compare(op, (float[]) x, o0, s0, (float[]) y, o1, s1, (boolean[]) z, o2, s2, len));
            return;
        }
        if (x instanceof double[] && z instanceof double[] && FloatLoops.handles(op)) {
            StridedRows.forEach(out.shape(), strides, offsets, (o0, s0, o1, s1, o2, s2, len) ->
                    FloatLoops.binary(op, (double[]) x, o0, s0, (double[]) y, o1, s1, (double[]) z, o2, s2, len));
            return;
        }
        zipLanes(x, y, z, out.shape(), strides, offsets, lanesAreLong(a.dtype()), op, 1);
    }

    /** {@code z = x + alpha * y}, rounded once in floating point (a fused multiply-add, as PyTorch's vector loop). */
    private static void scaledAdd(Object x, Object y, Object z, double alpha, int[] shape, int[][] strides, int[] offsets,
                                  DType dtype) {
        if (x instanceof float[] xf) {
            float c = (float) alpha;
            StridedRows.forEach(shape, strides, offsets, (o0, s0, o1, s1, o2, s2, len) ->
                    FloatLoops.scaledAdd(xf, o0, s0, (float[]) y, o1, s1, c, (float[]) z, o2, s2, len));
            return;
        }
        zipLanes(x, y, z, shape, strides, offsets, lanesAreLong(dtype), BinaryOp.ADD, alpha);
    }

    /**
     * {@code z = x op y} for any dtypes, a row at a time through long or double lanes; with alpha
     * other than 1 (add only), {@code z = x + alpha * y}, rounded once. The op is called directly,
     * not through a functional interface: one more megamorphic call per number made int64 ops 11 %
     * slower.
     */
    private static void zipLanes(Object x, Object y, Object z, int[] shape, int[][] strides, int[] offsets, boolean longLane,
                                 BinaryOp op, double alpha) {
        long whole = (long) alpha;
        StridedRows.forEach(shape, strides, offsets, (o0, s0, o1, s1, o2, s2, len) -> {
            if (longLane) {
                long[] p = Lanes.longs(0, len), q = Lanes.longs(1, len);
                Lanes.gather(x, o0, s0, len, p);
                Lanes.gather(y, o1, s1, len, q);
                if (alpha == 1) {
                    for (int i = 0; i < len; i++) {
                        p[i] = op.apply(p[i], q[i]);
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        p[i] += whole * q[i];
                    }
                }
                Lanes.scatter(p, z, o2, s2, len);
            } else {
                double[] p = Lanes.doubles(0, len), q = Lanes.doubles(1, len);
                Lanes.gather(x, o0, s0, len, p);
                Lanes.gather(y, o1, s1, len, q);
                if (alpha == 1) {
                    for (int i = 0; i < len; i++) {
                        p[i] = op.apply(p[i], q[i]);
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        p[i] = Math.fma(alpha, q[i], p[i]);
                    }
                }
                Lanes.scatter(p, z, o2, s2, len);
            }
        });
    }

    @Override
    protected void unaryKernel(UnaryOp op, Tensor a, Tensor out) {
        Object x = data(a), z = data(out);
        if (x instanceof float[] xf && z instanceof float[] zf && FloatLoops.handles(op)) {
            StridedRows.forEach(out.shape(), new int[][] {a.strides(), out.strides()},
                    new int[] {a.storageOffset(), out.storageOffset()}, (o0, s0, o1, s1, o2, s2, len) ->
                            FloatLoops.unary(op, xf, o0, s0, zf, o1, s1, len));
            return;
        }
        boolean longLane = lanesAreLong(a.dtype());
        map(a, out, op::apply, op::apply, longLane);
    }

    @Override
    protected void clampKernel(Tensor a, double min, double max, Tensor out) {
        if (data(a) instanceof float[] && data(out) instanceof float[]) {
            float[] x = (float[]) data(a), z = (float[]) data(out);
            float lo = (float) min, hi = (float) max;
            StridedRows.forEach(out.shape(), new int[][] {a.strides(), out.strides()},
                    new int[] {a.storageOffset(), out.storageOffset()}, (o0, s0, o1, s1, o2, s2, len) ->
                            FloatLoops.clamp(x, o0, s0, lo, hi, z, o1, s1, len));
            return;
        }
        long lo = min == Double.NEGATIVE_INFINITY ? Long.MIN_VALUE : (long) Math.ceil(min);
        long hi = max == Double.POSITIVE_INFINITY ? Long.MAX_VALUE : (long) Math.floor(max);
        map(a, out, v -> Double.isNaN(v) ? v : Math.min(Math.max(v, min), max), v -> Math.min(Math.max(v, lo), hi),
                lanesAreLong(a.dtype()));
    }

    private void map(Tensor a, Tensor out, java.util.function.DoubleUnaryOperator f,
                     java.util.function.LongUnaryOperator g, boolean longLane) {
        Object x = data(a), z = data(out);
        StridedRows.forEach(out.shape(), new int[][] {a.strides(), out.strides()},
                new int[] {a.storageOffset(), out.storageOffset()}, (o0, s0, o1, s1, o2, s2, len) -> {
                    if (longLane) {
                        long[] p = Lanes.longs(0, len);
                        Lanes.gather(x, o0, s0, len, p);
                        for (int i = 0; i < len; i++) {
                            p[i] = g.applyAsLong(p[i]);
                        }
                        Lanes.scatter(p, z, o1, s1, len);
                    } else {
                        double[] p = Lanes.doubles(0, len);
                        Lanes.gather(x, o0, s0, len, p);
                        for (int i = 0; i < len; i++) {
                            p[i] = f.applyAsDouble(p[i]);
                        }
                        Lanes.scatter(p, z, o1, s1, len);
                    }
                });
    }

    @Override
    protected void whereKernel(Tensor cond, Tensor a, Tensor b, Tensor out) {
        // out = b first (nothing to do for masked_fill_, where b is out), then a where cond holds:
        // two walks of at most three operands each.
        if (!sameView(b, out)) {
            copyKernel(b, out);
        }
        Object c = data(cond), x = data(a), z = data(out);
        int[][] strides = {cond.strides(), a.strides(), out.strides()};
        int[] offsets = {cond.storageOffset(), a.storageOffset(), out.storageOffset()};
        if (x instanceof float[] && z instanceof float[]) {
            StridedRows.forEach(out.shape(), strides, offsets, (o0, s0, o1, s1, o2, s2, len) ->
                    FloatLoops.select((boolean[]) c, o0, s0, (float[]) x, o1, s1, (float[]) z, o2, s2, len));
            return;
        }
        boolean longLane = lanesAreLong(out.dtype());
        StridedRows.forEach(out.shape(), strides, offsets, (o0, s0, o1, s1, o2, s2, len) -> {
                    boolean[] mask = (boolean[]) c;
                    if (longLane) {
                        long[] p = Lanes.longs(0, len), q = Lanes.longs(1, len);
                        Lanes.gather(x, o1, s1, len, p);
                        Lanes.gather(z, o2, s2, len, q);
                        for (int i = 0; i < len; i++) {
                            q[i] = mask[o0 + i * s0] ? p[i] : q[i];
                        }
                        Lanes.scatter(q, z, o2, s2, len);
                    } else {
                        double[] p = Lanes.doubles(0, len), q = Lanes.doubles(1, len);
                        Lanes.gather(x, o1, s1, len, p);
                        Lanes.gather(z, o2, s2, len, q);
                        for (int i = 0; i < len; i++) {
                            q[i] = mask[o0 + i * s0] ? p[i] : q[i];
                        }
                        Lanes.scatter(q, z, o2, s2, len);
                    }
                });
    }

    private static boolean sameView(Tensor x, Tensor y) {
        return x.storage() == y.storage() && x.storageOffset() == y.storageOffset()
                && java.util.Arrays.equals(x.strides(), y.strides());
    }

    @Override
    protected void reduceKernel(ReduceOp op, Tensor a, int dim, Tensor values, Tensor indices) {
        switch (op) {
            case SUM -> Reductions.sum(a, dim, values);
            case PROD -> Reductions.prod(a, dim, values);
            case MAX -> Reductions.extreme(a, dim, values, indices, true);
            case MIN -> Reductions.extreme(a, dim, values, indices, false);
            case MEAN -> throw new IllegalStateException("mean is a sum and a division above the kernels");
        }
    }

    @Override
    protected void mmKernel(Tensor a, Tensor b, Tensor out) {
        Matmul.mm(a, b, out, this::contiguous);
    }

    @Override
    protected boolean mmKernelAddsIntoOut() {
        return true;
    }

    // The window kernels count on fresh arrays being zeroed: padding and fold's sums start at 0.

    @Override
    protected void unfoldKernel(Tensor input, Window2d win, Tensor cols) {
        WindowLoops.unfold(data(input), input.storageOffset(), win, data(cols));
    }

    @Override
    protected void foldKernel(Tensor cols, Window2d win, Tensor out) {
        WindowLoops.fold(data(cols), cols.storageOffset(), win, data(out));
    }

    @Override
    protected void maxPool2dKernel(Tensor input, Window2d win, Tensor values, Tensor indices) {
        WindowLoops.maxPool(data(input), input.storageOffset(), win, data(values), (long[]) data(indices));
    }

    @Override
    protected void maxPool2dBackwardKernel(Tensor grad, Tensor indices, Tensor out) {
        WindowLoops.maxPoolBackward(data(grad), grad.storageOffset(), (long[]) data(indices), indices.storageOffset(),
                grad.numel(), grad.size(2) * grad.size(3), out.size(2) * out.size(3), data(out));
    }

    @Override
    protected void copyKernel(Tensor src, Tensor dst) {
        Object x = data(src), z = data(dst);
        boolean longLane = src.dtype() == DType.INT64 || src.dtype() == DType.BOOL;
        StridedRows.forEach(dst.shape(), new int[][] {src.strides(), dst.strides()},
                new int[] {src.storageOffset(), dst.storageOffset()}, (o0, s0, o1, s1, o2, s2, len) -> {
                    if (x.getClass() == z.getClass() && s0 == 1 && s1 == 1) {
                        System.arraycopy(x, o0, z, o1, len);
                    } else if (x instanceof float[] && z instanceof float[]) {
                        // transposed weights made contiguous for mm: no trip through the double lane
                        float[] f = (float[]) x, g = (float[]) z;
                        for (int i = 0; i < len; i++) {
                            g[o1 + i * s1] = f[o0 + i * s0];
                        }
                    } else if (x instanceof boolean[] && z instanceof float[]) {
                        // a mask made a factor (g.mul(x.ge(0)), ReLU's gradient): one pass, not two through the long lane
                        FloatLoops.fromMask((boolean[]) x, o0, s0, (float[]) z, o1, s1, len);
                    } else if (longLane) {
                        long[] p = Lanes.longs(0, len);
                        Lanes.gather(x, o0, s0, len, p);
                        Lanes.scatter(p, z, o1, s1, len);
                    } else {
                        double[] p = Lanes.doubles(0, len);
                        Lanes.gather(x, o0, s0, len, p);
                        Lanes.scatter(p, z, o1, s1, len);
                    }
                });
    }

    @Override
    protected void fillKernel(Tensor dst, double value) {
        Object z = data(dst);
        StridedRows.forEach(dst.shape(), new int[][] {dst.strides()}, new int[] {dst.storageOffset()},
                (o0, s0, o1, s1, o2, s2, len) -> {
                    if (z instanceof float[] && s0 == 1) {
                        // a run of a contiguous tensor (every grad.zero_()) is one block fill, vectorised
                        java.util.Arrays.fill((float[]) z, o0, o0 + len, (float) value);
                    } else if (z instanceof float[]) {
                        float[] f = (float[]) z;
                        for (int i = 0; i < len; i++) {
                            f[o0 + i * s0] = (float) value;
                        }
                    } else {
                        double[] p = Lanes.doubles(0, len);
                        java.util.Arrays.fill(p, 0, len, value);
                        Lanes.scatter(p, z, o0, s0, len);
                    }
                });
    }

    /** Only the GPU backend moves data between devices; on the CPU both directions are the tensor itself. */
    @Override
    protected Tensor fromCpu(Tensor cpuTensor) {
        return cpuTensor;
    }

    @Override
    protected Tensor toCpu(Tensor t) {
        return t;
    }
}
