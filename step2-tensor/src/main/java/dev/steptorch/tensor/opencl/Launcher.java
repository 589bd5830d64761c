package dev.steptorch.tensor.opencl;

import static dev.steptorch.tensor.opencl.TensorKernel.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host side of {@link TensorKernel}: turns an op on strided operands into the kernel's fields
 * and its flat {@code meta} record, and launches it. Everything here is plain Java: shapes are
 * simplified first (size-1 dimensions dropped, dimensions merged where every operand is contiguous
 * across them) so the kernel's per-element index arithmetic is as short as possible; a contiguous
 * elementwise op becomes one dimension.
 */
final class Launcher {
    /** Outputs below which, and reduction length above which, a reduction is split in two passes. */
    private static final int SPLIT_OUTPUTS = 256, SPLIT_LENGTH = 4096, PART_LENGTH = 1024;
    static final int MM_LOCAL = 8;

    private final OpenClRuntime rt;
    private final TensorKernel k;

    Launcher(OpenClRuntime rt) {
        this.rt = rt;
        this.k = rt.kernel;
    }

    DeviceHeap heap() {
        return rt.heap;
    }

    void fill(Operand out, int[] shape, double value, long longValue) {
        synchronized (k) {
            reset(OP_FILL, 0, out.type());
            k.s0 = value;
            k.l0 = longValue;
            k.integer = out.type() == I64 || out.type() == BOOL ? 1 : 0;
            elementwise(shape, out);
        }
    }

    /** out = fn(a); FN_COPY converts dtypes. computeType is the dtype the op is computed in. */
    void unary(int fn, Operand out, Operand a, int[] shape, int computeType, Double min, Double max) {
        synchronized (k) {
            reset(OP_UNARY, fn, out.type());
            compute(computeType);
            k.aType = a.type();
            k.flagA = min == null ? 0 : 1;
            k.flagB = max == null ? 0 : 1;
            k.s0 = min == null ? 0 : min;
            k.s1 = max == null ? 0 : max;
            k.l0 = min == null ? 0 : (long) Math.ceil(min);
            k.l1 = max == null ? 0 : (long) Math.floor(max);
            elementwise(shape, out, a);
        }
    }

    /** out = a fn b (comparisons write bool); alpha scales b for add and sub. */
    void binary(int fn, Operand out, Operand a, Operand b, int[] shape, int computeType, double alpha) {
        synchronized (k) {
            reset(OP_BINARY, fn, out.type());
            compute(computeType);
            k.aType = a.type();
            k.bType = b.type();
            k.s0 = alpha;
            k.l0 = (long) alpha;
            elementwise(shape, out, a, b);
        }
    }

    /** out = a fn scalar, the scalar passed as a kernel argument (no device buffer, no transfer). */
    void binaryScalar(int fn, Operand out, Operand a, double scalar, int[] shape, int computeType, double alpha) {
        synchronized (k) {
            reset(OP_BINARY, fn, out.type());
            compute(computeType);
            k.aType = a.type();
            k.flagB = 1;
            k.s0 = alpha;
            k.l0 = (long) alpha;
            k.s1 = computeType == F32 ? (float) scalar : scalar;
            k.l1 = (long) scalar;
            elementwise(shape, out, a);
        }
    }

    /** out = cond ? value : b (masked_fill), the value passed as a kernel argument. */
    void maskedFill(Operand out, Operand cond, double value, Operand b, int[] shape) {
        synchronized (k) {
            reset(OP_WHERE, 0, out.type());
            k.integer = out.type() == I64 || out.type() == BOOL ? 1 : 0;
            k.aType = cond.type();
            k.cType = b.type();
            k.flagA = 1;
            k.s0 = value;
            k.l0 = out.type() == BOOL ? (value != 0 ? 1 : 0) : (long) value;
            Operand unused = new Operand(b.type(), 0, new int[shape.length]);
            elementwise(shape, out, cond, unused, b);
        }
    }

    /** out = cond ? a : b, each converted to out's dtype. */
    void where(Operand out, Operand cond, Operand a, Operand b, int[] shape) {
        synchronized (k) {
            reset(OP_WHERE, 0, out.type());
            k.integer = out.type() == I64 || out.type() == BOOL ? 1 : 0;
            k.aType = cond.type();
            k.bType = a.type();
            k.cType = b.type();
            elementwise(shape, out, cond, a, b);
        }
    }

    /**
     * Reduces a over its inner dimensions. Outer dimensions are shared by out, index (nullable) and
     * a; fn is FN_SUM, FN_MAX or FN_MIN; index receives the position of the max/min in the inner
     * loop (row-major over innerShape).
     */
    void reduce(int fn, Operand out, Operand index, int[] outerShape, Operand aOuter, int[] innerShape,
                int[] innerStrides, int computeType) {
        synchronized (k) {
            int outputs = numel(outerShape);
            int length = numel(innerShape);
            if (outputs == 0) {
                return;
            }
            boolean split = outputs < SPLIT_OUTPUTS && length >= SPLIT_LENGTH;
            if (!split) {
                reduceOnce(fn, out, index, outerShape, aOuter, null, innerShape, innerStrides, computeType, 1, length);
                return;
            }
            int parts = (length + PART_LENGTH - 1) / PART_LENGTH;
            int chunk = (length + parts - 1) / parts;
            int valueType = fn == FN_SUM || fn == FN_PROD ? (computeType == I64 || computeType == BOOL ? I64 : F64) : out.type();
            int values = rt.heap.allocate(valueType, outputs * parts);
            int indices = rt.heap.allocate(I64, outputs * parts);
            try {
                Operand pv = Operand.contiguous(valueType, values, outerShape);
                Operand pi = Operand.contiguous(I64, indices, outerShape);
                Operand pvOuter = new Operand(valueType, values, scale(pv.strides(), parts));
                Operand piOuter = new Operand(I64, indices, scale(pi.strides(), parts));
                reduceOnce(fn, pvOuter, piOuter, outerShape, aOuter, null, innerShape, innerStrides, computeType,
                        parts, chunk);
                reduceOnce(fn, out, index, outerShape, pvOuter, piOuter, new int[] {parts}, new int[] {1},
                        computeType, 1, parts);
            } finally {
                rt.heap.release(valueType, values, outputs * parts);
                rt.heap.release(I64, indices, outputs * parts);
            }
        }
    }

    private void reduceOnce(int fn, Operand out, Operand index, int[] outerShape, Operand a, Operand partialIndex,
                            int[] innerShape, int[] innerStrides, int computeType, int parts, int chunk) {
        reset(OP_REDUCE, fn, out.type());
        compute(computeType);
        k.aType = a.type();
        k.flagA = partialIndex == null ? 0 : 1;
        k.flagB = index == null ? 0 : 1;
        k.parts = parts;
        k.chunk = chunk;
        Operand none = new Operand(I64, 0, new int[outerShape.length]);
        Operand[] ops = {out, a, index == null ? none : index, partialIndex == null ? none : partialIndex};
        int[][] simpleOuter = simplify(outerShape, ops);
        int[][] simpleInner = simplify(innerShape, new Operand(a.type(), 0, innerStrides));
        writeMeta(simpleOuter, ops.length);
        k.meta[INNER] = simpleInner[0].length;
        for (int d = 0; d < simpleInner[0].length; d++) {
            k.meta[INNER_SHAPE + d] = simpleInner[0][d];
            k.meta[INNER_STRIDES + d] = simpleInner[1][1 + d];
        }
        k.meta[INNER_LENGTH] = numel(innerShape);
        k.n = numel(outerShape) * parts;
        sendMeta();
        rt.launch(k.n);
    }

    /** out (M x N) = a (M x K) . b (K x N), all of out's dtype. */
    void mm(Operand out, Operand a, Operand b, int m, int n, int kk) {
        synchronized (k) {
            reset(OP_MM, 0, out.type());
            k.meta[0] = 2;
            k.meta[SHAPE] = m;
            k.meta[SHAPE + 1] = n;
            k.meta[SHAPE + 2] = kk;
            Operand[] ops = {out, a, b};
            for (int i = 0; i < ops.length; i++) {
                k.meta[OPERAND + 9 * i] = ops[i].offset();
                k.meta[OPERAND + 9 * i + 1] = ops[i].strides()[0];
                k.meta[OPERAND + 9 * i + 2] = ops[i].strides()[1];
            }
            if (m == 0 || n == 0) {
                return;
            }
            sendMeta();
            int colTiles = (n + MM_COLS - 1) / MM_COLS;
            int rowTiles = (m + MM_ROWS - 1) / MM_ROWS;
            rt.launch2D(roundUp(colTiles, MM_LOCAL), roundUp(rowTiles, MM_LOCAL), MM_LOCAL, MM_LOCAL);
        }
    }

    /**
     * A window op of {@link WindowKernel} over {@code items} work items. geometry holds
     * {n, c, h, w, kh, kw, sh, sw, ph, pw, outH, outW}; src, dst and indices are arena offsets.
     */
    void window(int op, int[] geometry, int type, int src, int dst, int indices, int items) {
        synchronized (k) {
            if (items == 0) {
                return;
            }
            reset(op, 0, type);
            System.arraycopy(geometry, 0, k.meta, W_N, geometry.length);
            k.meta[W_SRC] = src;
            k.meta[W_DST] = dst;
            k.meta[W_IDX] = indices;
            k.meta[W_F64] = type == F64 ? 1 : 0;
            k.n = items;
            sendMeta();
            rt.launch(items);
        }
    }

    /** Copies n host elements from src[srcOffset..] into the device operand dst (any strides). */
    void upload(Object src, int srcOffset, Operand dst, int[] shape) {
        synchronized (k) {
            int n = numel(shape);
            if (n == 0) {
                return;
            }
            int dtype = dst.type();
            Object stage = rt.heap.stage(dtype, n);
            System.arraycopy(src, srcOffset, stage, 0, n);
            rt.heap.putStage(dtype, stage);
            unary(FN_COPY, dst, Operand.contiguous(STAGE + dtype, 0, shape), shape, dtype, null, null);
        }
    }

    /** Copies the device operand src (any strides) into dst[dstOffset..] on the host, row-major. */
    void download(Operand src, int[] shape, Object dst, int dstOffset) {
        synchronized (k) {
            int n = numel(shape);
            if (n == 0) {
                return;
            }
            int dtype = src.type();
            Object stage = rt.heap.stage(dtype, n);
            unary(FN_COPY, Operand.contiguous(STAGE + dtype, 0, shape), src, shape, dtype, null, null);
            rt.heap.getStage(dtype, stage);
            System.arraycopy(stage, 0, dst, dstOffset, n);
        }
    }

    private void reset(int op, int fn, int outType) {
        k.op = op;
        k.fn = fn;
        k.outType = outType;
        k.aType = outType;
        k.bType = outType;
        k.cType = outType;
        k.integer = 0;
        k.roundToFloat = 0;
        k.flagA = 0;
        k.flagB = 0;
        k.parts = 1;
        k.chunk = 0;
        k.s0 = 0;
        k.s1 = 0;
        k.l0 = 0;
        k.l1 = 0;
    }

    private void compute(int computeType) {
        k.integer = computeType == I64 || computeType == BOOL ? 1 : 0;
        k.roundToFloat = computeType == F32 ? 1 : 0;
    }

    private void elementwise(int[] shape, Operand... ops) {
        int n = numel(shape);
        if (n == 0) {
            return;
        }
        writeMeta(simplify(shape, ops), ops.length);
        k.n = n;
        sendMeta();
        rt.launch(n);
    }

    private void writeMeta(int[][] simple, int operands) {
        int[] shape = simple[0];
        k.meta[0] = shape.length;
        System.arraycopy(shape, 0, k.meta, SHAPE, shape.length);
        for (int i = 0; i < operands; i++) {
            int base = OPERAND + 9 * i;
            k.meta[base] = simple[1 + i][0];
            System.arraycopy(simple[1 + i], 1, k.meta, base + 1, shape.length);
        }
    }

    private void sendMeta() {
        k.put(k.meta);
        OpenClStats.countMetadata((long) k.meta.length * Integer.BYTES);
    }

    /**
     * Drops size-1 dimensions and merges neighbours that every operand walks contiguously.
     * Returns {shape, {offset0, strides0...}, {offset1, strides1...}, ...}.
     */
    static int[][] simplify(int[] shape, Operand... ops) {
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                dims.add(d);
            }
        }
        List<int[]> merged = new ArrayList<>(); // each: {size, stride per operand...}
        for (int d : dims) {
            int[] cur = new int[1 + ops.length];
            cur[0] = shape[d];
            for (int i = 0; i < ops.length; i++) {
                cur[1 + i] = ops[i].strides()[d];
            }
            if (!merged.isEmpty()) {
                int[] prev = merged.get(merged.size() - 1);
                boolean canMerge = true;
                for (int i = 0; i < ops.length; i++) {
                    canMerge &= prev[1 + i] == cur[1 + i] * cur[0];
                }
                if (canMerge) {
                    prev[0] *= cur[0];
                    for (int i = 0; i < ops.length; i++) {
                        prev[1 + i] = cur[1 + i];
                    }
                    continue;
                }
            }
            merged.add(cur);
        }
        if (merged.size() > MAX_DIMS) {
            throw new IllegalArgumentException("GPU kernels handle at most " + MAX_DIMS
                    + " dimensions after merging contiguous ones, got shape " + Arrays.toString(shape));
        }
        int[][] out = new int[1 + ops.length][];
        out[0] = new int[merged.size()];
        for (int i = 0; i < ops.length; i++) {
            out[1 + i] = new int[1 + merged.size()];
            out[1 + i][0] = ops[i].offset();
        }
        for (int d = 0; d < merged.size(); d++) {
            out[0][d] = merged.get(d)[0];
            for (int i = 0; i < ops.length; i++) {
                out[1 + i][1 + d] = merged.get(d)[1 + i];
            }
        }
        return out;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    private static int[] scale(int[] strides, int factor) {
        int[] r = strides.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= factor;
        }
        return r;
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
