package dev.steptorch.tensor.opencl;

import static dev.steptorch.tensor.opencl.TensorKernel.*;

import dev.steptorch.tensor.Window2d;
import java.lang.ref.Reference;

/**
 * Tensor-shaped entry points to {@link TensorKernel}: each takes {@link GpuView}s (a tensor's block,
 * shape, strides and offset), lines them up with the op's iteration shape and launches. Checks of
 * shapes, dtypes and devices happen above, in the shared tensor code; here everything is already
 * valid, and the output view already has the result's shape and dtype.
 */
final class GpuKernels {
    private final Launcher launcher;

    GpuKernels(Launcher launcher) {
        this.launcher = launcher;
    }

    DeviceHeap heap() {
        return launcher.heap();
    }

    void fill(GpuView out, double value) {
        long asLong = out.type() == BOOL ? (value != 0 ? 1 : 0) : (long) value;
        launcher.fill(out.operand(), out.shape(), value, asLong);
        keepAlive(out);
    }

    /** Fills an int64 view with a value a double could not hold exactly. */
    void fillLong(GpuView out, long value) {
        launcher.fill(out.operand(), out.shape(), (double) value, value);
        keepAlive(out);
    }

    /** dst = src, broadcasting src to dst's shape and converting its dtype like a Java cast. */
    void copy(GpuView dst, GpuView src) {
        int compute = isFloat(src.type()) ? F64 : I64;
        launcher.unary(FN_COPY, dst.operand(), src.over(dst.shape()), dst.shape(), compute, null, null);
        keepAlive(dst, src);
    }

    void unary(int fn, GpuView out, GpuView a, int computeType) {
        launcher.unary(fn, out.operand(), a.over(out.shape()), out.shape(), computeType, null, null);
        keepAlive(out, a);
    }

    void clamp(GpuView out, GpuView a, Double min, Double max, int computeType) {
        launcher.unary(FN_CLAMP, out.operand(), a.over(out.shape()), out.shape(), computeType, min, max);
        keepAlive(out, a);
    }

    /** out = a fn b with broadcasting; comparisons write a bool out. */
    void binary(int fn, GpuView out, GpuView a, GpuView b, int computeType, double alpha) {
        launcher.binary(fn, out.operand(), a.over(out.shape()), b.over(out.shape()), out.shape(), computeType, alpha);
        keepAlive(out, a, b);
    }

    /** out = a fn scalar; the scalar travels as a kernel argument. */
    void binaryScalar(int fn, GpuView out, GpuView a, double scalar, int computeType, double alpha) {
        launcher.binaryScalar(fn, out.operand(), a.over(out.shape()), scalar, out.shape(), computeType, alpha);
        keepAlive(out, a);
    }

    /** out = mask ? value : a (out may be a itself, for masked_fill_). */
    void maskedFill(GpuView out, GpuView a, GpuView mask, double value) {
        launcher.maskedFill(out.operand(), mask.over(out.shape()), value, a.over(out.shape()), out.shape());
        keepAlive(out, a, mask);
    }

    void where(GpuView out, GpuView cond, GpuView a, GpuView b) {
        launcher.where(out.operand(), cond.over(out.shape()), a.over(out.shape()), b.over(out.shape()), out.shape());
        keepAlive(out, cond, a, b);
    }

    /**
     * Reduces a over the dimensions marked in reduced. out (and indices, nullable, for max/min) may
     * have a's rank with 1s at the reduced dimensions (keepdim) or lack those dimensions.
     */
    void reduce(int fn, GpuView out, GpuView indices, GpuView a, boolean[] reduced, int computeType) {
        int rank = a.shape().length;
        int outerRank = 0;
        for (boolean r : reduced) {
            outerRank += r ? 0 : 1;
        }
        int[] outer = new int[outerRank];
        int[] aOuter = new int[outerRank];
        int[] outOuter = new int[outerRank];
        int[] idxOuter = new int[outerRank];
        int[] inner = new int[rank - outerRank];
        int[] aInner = new int[rank - outerRank];
        boolean keep = out.shape().length == rank;
        for (int d = 0, o = 0, i = 0, kept = 0; d < rank; d++) {
            if (reduced[d]) {
                inner[i] = a.shape()[d];
                aInner[i++] = a.strides()[d];
            } else {
                int od = keep ? d : kept++;
                outer[o] = a.shape()[d];
                aOuter[o] = a.strides()[d];
                outOuter[o] = out.strides()[od];
                idxOuter[o++] = indices == null ? 0 : indices.strides()[od];
            }
        }
        Operand outOp = new Operand(out.type(), out.block().offset + out.offset(), outOuter);
        Operand idxOp = indices == null ? null
                : new Operand(I64, indices.block().offset + indices.offset(), idxOuter);
        Operand aOp = new Operand(a.type(), a.block().offset + a.offset(), aOuter);
        launcher.reduce(fn, outOp, idxOp, outer, aOp, inner, aInner, computeType);
        keepAlive(out, indices, a);
    }

    void mm(GpuView out, GpuView a, GpuView b) {
        launcher.mm(out.operand(), a.operand(), b.operand(), a.shape()[0], b.shape()[1], a.shape()[1]);
        keepAlive(out, a, b);
    }

    // The window ops: every view is contiguous, so only its start in the arena travels.

    void unfold(GpuView cols, GpuView input, Window2d win) {
        launcher.window(OP_UNFOLD, geometry(win), input.type(), start(input), start(cols), 0, cols.numel());
        keepAlive(cols, input);
    }

    void fold(GpuView out, GpuView cols, Window2d win) {
        launcher.window(OP_FOLD, geometry(win), cols.type(), start(cols), start(out), 0, out.numel());
        keepAlive(out, cols);
    }

    void maxPool(GpuView values, GpuView indices, GpuView input, Window2d win) {
        launcher.window(OP_MAXPOOL, geometry(win), input.type(), start(input), start(values), start(indices),
                values.numel());
        keepAlive(values, indices, input);
    }

    /** out [N, C, H, W] from grad and indices [N, C, outH, outW]; one work item per (n, c) plane. */
    void maxPoolBackward(GpuView out, GpuView grad, GpuView indices) {
        int[] in = out.shape();
        int[] geometry = {in[0], in[1], in[2], in[3], 0, 0, 0, 0, 0, 0, grad.shape()[2], grad.shape()[3]};
        launcher.window(OP_MAXPOOL_BACKWARD, geometry, grad.type(), start(grad), start(out), start(indices),
                in[0] * in[1]);
        keepAlive(out, grad, indices);
    }

    private static int start(GpuView v) {
        return v.block().offset + v.offset();
    }

    private static int[] geometry(Window2d g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(), g.outH(), g.outW()};
    }

    /** Copies the host array (row-major, from srcOffset) into the view, whatever its strides. */
    void upload(Object src, int srcOffset, GpuView dst) {
        launcher.upload(src, srcOffset, dst.operand(), dst.shape());
        keepAlive(dst);
    }

    /** Copies the view, row-major, into the host array from dstOffset. */
    void download(GpuView src, Object dst, int dstOffset) {
        launcher.download(src.operand(), src.shape(), dst, dstOffset);
        keepAlive(src);
    }

    /**
     * Keeps the views, and so their device blocks, reachable until the launch has run: the launch
     * only carries offsets, and a block whose last reference is gone may be freed by the cleaner
     * thread and handed to another allocation.
     */
    private static void keepAlive(GpuView... views) {
        Reference.reachabilityFence(views);
    }

    static boolean isFloat(int type) {
        return type == F32 || type == F64;
    }
}
