package dev.steptorch.tensor.opencl;

/**
 * The one Aparapi kernel behind every GPU tensor op.
 *
 * <p>Why one kernel and not one per op: Aparapi gives every {@code Kernel} object its own OpenCL
 * context, and a device buffer belongs to one context, so two kernel objects can never read each
 * other's device memory. To keep tensors on the device between ops, every op must run in the same
 * kernel object, over the same device arrays. Those arrays are <em>arenas</em>, one per dtype; a
 * GPU tensor's storage is a slice {@code [offset, offset + size)} of its dtype's arena (see
 * {@link DeviceHeap}). The {@code op} field picks the op, {@code fn} the function within it. The
 * sliding-window ops of convolution and pooling are inherited from {@link WindowKernel}.
 *
 * <p>What Aparapi lets a kernel contain, and so what this class sticks to: fields that are
 * primitives or 1-D primitive arrays, int indexing, arithmetic, {@code Math} functions, if/else
 * and loops, and calls to other methods of this class with primitive arguments. No objects, no
 * {@code new}, no {@code switch}, no exceptions, no recursion. Shapes and strides therefore travel
 * in a flat {@code int[] meta} array whose layout {@link Launch} writes.
 *
 * <p>Float math runs in double (exact for +, -, *, / and sqrt of float inputs after rounding back),
 * so the device needs {@code cl_khr_fp64}; integer and bool math runs in long so int64 stays exact.
 */
final class TensorKernel extends KernelMath {
    // dtype codes; 4..7 are the staging arrays that carry host <-> device transfers.
    static final int F32 = 0, F64 = 1, I64 = 2, BOOL = 3, STAGE = 4;

    // ops
    static final int OP_FILL = 0, OP_UNARY = 1, OP_BINARY = 2, OP_WHERE = 3, OP_REDUCE = 4, OP_MM = 5;
    // 6 and up: the window ops of WindowKernel

    // Function codes. Those of an enum row (UnaryOp, BinaryOp, ReduceOp) are that row's kernelCode(),
    // repeated here because Aparapi needs literal constants; KernelCodesTest pins the two together.
    // unary functions (OP_UNARY); FN_COPY converts between dtypes
    static final int FN_COPY = 0, FN_NEG = 1, FN_EXP = 2, FN_LOG = 3, FN_SQRT = 4, FN_ABS = 5,
            FN_CLAMP = 6, FN_SIN = 7, FN_COS = 8;
    static final int FN_TAN = 50, FN_RSQRT = 51, FN_RECIPROCAL = 52, FN_LOG1P = 53, FN_EXPM1 = 54, FN_SIGN = 55,
            FN_FLOOR = 56, FN_CEIL = 57, FN_ROUND = 58, FN_ERF = 59;
    // binary functions (OP_BINARY); comparisons (20 and up) write bool
    static final int FN_ADD = 10, FN_SUB = 11, FN_MUL = 12, FN_DIV = 13, FN_POW = 14, FN_MAXIMUM = 15,
            FN_MINIMUM = 16, FN_THRESHOLD_BACKWARD = 17, FN_EQ = 20, FN_NE = 21, FN_LT = 22, FN_LE = 23, FN_GT = 24, FN_GE = 25;
    // reductions (OP_REDUCE)
    static final int FN_SUM = 30, FN_MAX = 31, FN_MIN = 32, FN_PROD = 36;

    // meta layout: [0] ndim, [1..8] shape, then operand k at 9 + 9k: offset, 8 strides;
    // a reduction's inner loop at 45: ndim, [46..53] shape, [54..61] strides of the input, [62] length.
    static final int MAX_DIMS = 8, SHAPE = 1, OPERAND = 9, INNER = 45, INNER_SHAPE = 46, INNER_STRIDES = 54,
            INNER_LENGTH = 62;

    // f32, f64, i64 (the arenas) and meta are inherited from WindowKernel
    boolean[] b8 = new boolean[1];
    float[] sf32 = new float[1];
    double[] sf64 = new double[1];
    long[] si64 = new long[1];
    boolean[] sb8 = new boolean[1];

    int op, fn, n;
    int outType, aType, bType, cType, idxType;
    /** 1: compute in long (int64/bool results), 0: compute in double. */
    int integer;
    /** 1: round each loaded value to float before computing (the op's compute dtype is float32). */
    int roundToFloat;
    /**
     * OP_UNARY clamp: which bounds are present. OP_BINARY: flagB = 1 when b is a scalar (s1, l1)
     * rather than a tensor, so a Java number never needs a device buffer; OP_WHERE: flagA = 1 when
     * the value where the mask holds is a scalar (s0, l0). OP_REDUCE: see reduce().
     */
    int flagA, flagB;
    /** scalars: fill value, clamp bounds, add/sub alpha. */
    double s0, s1;
    long l0, l1;
    /** OP_REDUCE: parts the inner loop is split into, and the length of each part. */
    int parts, chunk;
    /** OP_MM: the tile of out each work item computes. */
    static final int MM_ROWS = 4, MM_COLS = 16;

    @Override
    public void run() {
        if (op == OP_MM) {
            matmul();
        } else {
            int g = getGlobalId();
            if (g < n) {
                if (op == OP_FILL) {
                    store(outType, offsetOf(g, 0), s0, l0);
                } else if (op == OP_UNARY) {
                    unary(g);
                } else if (op == OP_BINARY) {
                    binary(g);
                } else if (op == OP_WHERE) {
                    int o = offsetOf(g, 0);
                    if (loadL(aType, offsetOf(g, 1)) != 0) {
                        if (flagA == 1) {
                            store(outType, o, s0, l0); // masked_fill with a scalar
                        } else {
                            store(outType, o, loadD(bType, offsetOf(g, 2)), loadL(bType, offsetOf(g, 2)));
                        }
                    } else {
                        store(outType, o, loadD(cType, offsetOf(g, 3)), loadL(cType, offsetOf(g, 3)));
                    }
                } else if (op == OP_REDUCE) {
                    reduce(g);
                } else if (op >= OP_UNFOLD) {
                    window(op, g);
                }
            }
        }
    }

    /** Element offset of operand k for the g-th element of the (row-major) iteration shape. */
    int offsetOf(int g, int k) {
        int base = OPERAND + 9 * k;
        int off = meta[base];
        if (meta[0] == 1) {
            // the common case once contiguous dimensions are merged: no division needed
            return off + g * meta[base + 1];
        }
        int rem = g;
        for (int d = meta[0] - 1; d >= 0; d--) {
            int size = meta[SHAPE + d];
            off += (rem % size) * meta[base + 1 + d];
            rem = rem / size;
        }
        return off;
    }

    /** Offset of the r-th element of a reduction's inner loop, relative to its outer offset. */
    int innerOffsetOf(int r) {
        int off = 0;
        int rem = r;
        for (int d = meta[INNER] - 1; d >= 0; d--) {
            int size = meta[INNER_SHAPE + d];
            off += (rem % size) * meta[INNER_STRIDES + d];
            rem = rem / size;
        }
        return off;
    }

    double loadD(int t, int i) {
        double v = 0.0;
        if (t == F32) {
            v = f32[i];
        } else if (t == F64) {
            v = f64[i];
        } else if (t == I64) {
            v = (double) i64[i];
        } else if (t == BOOL) {
            v = b8[i] ? 1.0 : 0.0;
        } else if (t == STAGE + F32) {
            v = sf32[i];
        } else if (t == STAGE + F64) {
            v = sf64[i];
        } else if (t == STAGE + I64) {
            v = (double) si64[i];
        } else {
            v = sb8[i] ? 1.0 : 0.0;
        }
        if (roundToFloat == 1) {
            v = (double) ((float) v);
        }
        return v;
    }

    long loadL(int t, int i) {
        long v = 0L;
        if (t == F32) {
            v = (long) f32[i];
        } else if (t == F64) {
            v = (long) f64[i];
        } else if (t == I64) {
            v = i64[i];
        } else if (t == BOOL) {
            v = b8[i] ? 1L : 0L;
        } else if (t == STAGE + F32) {
            v = (long) sf32[i];
        } else if (t == STAGE + F64) {
            v = (long) sf64[i];
        } else if (t == STAGE + I64) {
            v = si64[i];
        } else {
            v = sb8[i] ? 1L : 0L;
        }
        return v;
    }

    /** Stores d (double compute) or l (integer compute) converted to dtype t. */
    void store(int t, int i, double d, long l) {
        if (t == F32) {
            f32[i] = integer == 1 ? (float) l : (float) d;
        } else if (t == F64) {
            f64[i] = integer == 1 ? (double) l : d;
        } else if (t == I64) {
            i64[i] = integer == 1 ? l : (long) d;
        } else if (t == BOOL) {
            b8[i] = integer == 1 ? l != 0L : d != 0.0;
        } else if (t == STAGE + F32) {
            sf32[i] = integer == 1 ? (float) l : (float) d;
        } else if (t == STAGE + F64) {
            sf64[i] = integer == 1 ? (double) l : d;
        } else if (t == STAGE + I64) {
            si64[i] = integer == 1 ? l : (long) d;
        } else {
            sb8[i] = integer == 1 ? l != 0L : d != 0.0;
        }
    }

    void unary(int g) {
        int o = offsetOf(g, 0);
        int a = offsetOf(g, 1);
        if (integer == 1) {
            long x = loadL(aType, a);
            // an op without a branch here writes 0, which the GPU-vs-CPU properties catch
            long r = 0L;
            if (fn == FN_COPY) {
                r = x;
            } else if (fn == FN_NEG) {
                r = -x;
            } else if (fn == FN_ABS) {
                r = x < 0L ? -x : x;
            } else if (fn == FN_SIGN) {
                r = x > 0L ? 1L : x < 0L ? -1L : 0L;
            } else if (fn == FN_FLOOR || fn == FN_CEIL || fn == FN_ROUND) {
                r = x;
            } else if (fn == FN_CLAMP) {
                r = x;
                if (flagA == 1 && cmpL(r, l0) < 0) {
                    r = l0;
                }
                if (flagB == 1 && cmpL(r, l1) > 0) {
                    r = l1;
                }
            }
            store(outType, o, 0.0, r);
        } else {
            double x = loadD(aType, a);
            double r = 0.0;
            if (fn == FN_COPY) {
                r = x;
            } else if (fn == FN_NEG) {
                r = -x;
            } else if (fn == FN_EXP) {
                r = Math.exp(x);
            } else if (fn == FN_LOG) {
                r = Math.log(x);
            } else if (fn == FN_SQRT) {
                r = Math.sqrt(x);
            } else if (fn == FN_ABS) {
                r = Math.abs(x);
            } else if (fn == FN_SIN) {
                r = Math.sin(x);
            } else if (fn == FN_COS) {
                r = Math.cos(x);
            } else if (fn >= FN_TAN) {
                r = unaryMore(fn, x);
            } else if (fn == FN_CLAMP) {
                r = x;
                if (flagA == 1) {
                    r = maxD(r, s0);
                }
                if (flagB == 1) {
                    r = minD(r, s1);
                }
            }
            store(outType, o, r, 0L);
        }
    }

    void binary(int g) {
        int o = offsetOf(g, 0);
        int ia = offsetOf(g, 1);
        int ib = offsetOf(g, 2);
        if (fn >= FN_EQ) {
            boolean c = false;
            if (integer == 1) {
                int cmp = cmpL(loadL(aType, ia), flagB == 1 ? l1 : loadL(bType, ib));
                c = fn == FN_EQ ? cmp == 0 : fn == FN_NE ? cmp != 0 : fn == FN_LT ? cmp < 0
                        : fn == FN_LE ? cmp <= 0 : fn == FN_GT ? cmp > 0 : fn == FN_GE && cmp >= 0;
            } else {
                double x = loadD(aType, ia);
                double y = flagB == 1 ? s1 : loadD(bType, ib);
                c = fn == FN_EQ ? x == y : fn == FN_NE ? x != y : fn == FN_LT ? x < y
                        : fn == FN_LE ? x <= y : fn == FN_GT ? x > y : fn == FN_GE && x >= y;
            }
            b8[o] = c;
        } else if (integer == 1) {
            long x = loadL(aType, ia);
            long y = flagB == 1 ? l1 : loadL(bType, ib);
            long r = 0L;
            if (fn == FN_ADD) {
                r = x + l0 * y;
            } else if (fn == FN_SUB) {
                r = x - l0 * y;
            } else if (fn == FN_MUL) {
                r = x * y;
            } else if (fn == FN_POW) {
                r = powL(x, y);
            } else if (fn == FN_MAXIMUM) {
                r = cmpL(x, y) > 0 ? x : y;
            } else if (fn == FN_MINIMUM) {
                r = cmpL(x, y) < 0 ? x : y;
            } else if (fn == FN_THRESHOLD_BACKWARD) {
                r = cmpL(y, 0L) <= 0 ? 0L : x;
            } else if (fn == FN_DIV) {
                // integer division is decided above the kernel (true division promotes to float)
                r = y == 0L ? 0L : x / y;
            }
            store(outType, o, 0.0, r);
        } else {
            double x = loadD(aType, ia);
            double y = flagB == 1 ? s1 : loadD(bType, ib);
            double r = 0.0;
            if (fn == FN_ADD) {
                r = x + s0 * y;
            } else if (fn == FN_SUB) {
                r = x - s0 * y;
            } else if (fn == FN_MUL) {
                r = x * y;
            } else if (fn == FN_DIV) {
                r = x / y;
            } else if (fn == FN_POW) {
                r = Math.pow(x, y);
            } else if (fn == FN_MAXIMUM) {
                r = maxD(x, y);
            } else if (fn == FN_MINIMUM) {
                r = minD(x, y);
            } else if (fn == FN_THRESHOLD_BACKWARD) {
                r = y <= 0.0 ? 0.0 : x;
            }
            store(outType, o, r, 0L);
        }
    }

    /**
     * Compares two longs: -1, 0 or 1. Aparapi translates the bytecode of {@code x < y} on longs into
     * {@code (x - y) < 0}, which overflows for operands far apart, so this compares signs first and
     * subtracts only operands of equal sign. Comparing against 0L is safe and is all it uses.
     */
    int cmpL(long x, long y) {
        int r = 0;
        if ((x ^ y) < 0L) {
            r = x < 0L ? -1 : 1;
        } else {
            long d = x - y;
            r = d < 0L ? -1 : d == 0L ? 0 : 1;
        }
        return r;
    }

    /** max as java.lang.Math.max: NaN wins, +0.0 beats -0.0 (OpenCL's fmax does neither). */
    double maxD(double x, double y) {
        double r = x > y ? x : y;
        if (x != x) {
            r = x;
        } else if (y != y) {
            r = y;
        } else if (x == 0.0 && y == 0.0) {
            r = x + y; // max(-0.0, 0.0) is 0.0: only the sum of the two zeros gets the sign right
        }
        return r;
    }

    double minD(double x, double y) {
        double r = x < y ? x : y;
        if (x != x) {
            r = x;
        } else if (y != y) {
            r = y;
        } else if (x == 0.0 && y == 0.0) {
            r = -(-x - y); // min(-0.0, 0.0) is -0.0
        }
        return r;
    }

    long powL(long x, long y) {
        long r = 1L;
        long b = x;
        long e = y;
        if (e < 0L) {
            // 1/x^|e| truncated toward zero: only 1 and -1 survive
            r = x == 1L ? 1L : x == -1L ? ((e & 1L) == 0L ? 1L : -1L) : 0L;
            e = 0L;
        }
        while (e > 0L) {
            if ((e & 1L) == 1L) {
                r = r * b;
            }
            b = b * b;
            e = e >> 1;
        }
        return r;
    }

    /**
     * Work item g reduces part (g % parts) of the inner loop of output element (g / parts). With
     * parts > 1 the outputs are partials (value, index), stored at out + part, and reduced again by
     * a second launch with flagA = 1, which reads the partial indices instead of counting positions.
     * flagB = 1 writes the index of the winner (max/argmax).
     */
    void reduce(int g) {
        int outer = g / parts;
        int part = g % parts;
        int o = offsetOf(outer, 0) + part;
        int base = offsetOf(outer, 1);
        int io = offsetOf(outer, 2) + part;
        int ii = offsetOf(outer, 3);
        int r0 = part * chunk;
        int r1 = meta[INNER_LENGTH];
        if (r0 + chunk < r1) {
            r1 = r0 + chunk;
        }
        long bestIndex = 0L;
        if (integer == 1) {
            long acc = fn == FN_SUM ? 0L : fn == FN_PROD ? 1L : loadL(aType, base + innerOffsetOf(r0));
            bestIndex = flagA == 1 ? i64[ii + innerOffsetOf(r0)] : r0;
            for (int r = r0; r < r1; r++) {
                long x = loadL(aType, base + innerOffsetOf(r));
                if (fn == FN_SUM) {
                    acc += x;
                } else if (fn == FN_PROD) {
                    acc *= x;
                } else if ((fn == FN_MAX && cmpL(x, acc) > 0) || (fn == FN_MIN && cmpL(x, acc) < 0)) {
                    acc = x;
                    bestIndex = flagA == 1 ? i64[ii + innerOffsetOf(r)] : r;
                }
            }
            store(outType, o, 0.0, acc);
        } else {
            double acc = fn == FN_SUM ? 0.0 : fn == FN_PROD ? 1.0 : loadD(aType, base + innerOffsetOf(r0));
            bestIndex = flagA == 1 ? i64[ii + innerOffsetOf(r0)] : r0;
            for (int r = r0; r < r1; r++) {
                double x = loadD(aType, base + innerOffsetOf(r));
                if (fn == FN_SUM) {
                    acc += x;
                } else if (fn == FN_PROD) {
                    acc *= x;
                } else if (acc == acc && (x != x || (fn == FN_MAX && x > acc) || (fn == FN_MIN && x < acc))) {
                    // the first NaN wins, as in PyTorch; ties keep the first index
                    acc = x;
                    bestIndex = flagA == 1 ? i64[ii + innerOffsetOf(r)] : r;
                }
            }
            store(outType, o, acc, 0L);
        }
        if (flagB == 1) {
            i64[io] = bestIndex;
        }
    }

    /**
     * out[M x N] = a[M x K] . b[K x N], all strided. Each work item owns a tile of MM_ROWS rows by
     * MM_COLS columns of out. Full float32 tiles whose b rows are contiguous take matmulTile; the
     * ragged edges and the other dtypes go column by column.
     */
    void matmul() {
        int j0 = getGlobalId(0) * MM_COLS;
        int i0 = getGlobalId(1) * MM_ROWS;
        int m = meta[SHAPE];
        int nCols = meta[SHAPE + 1];
        if (i0 < m && j0 < nCols) {
            if (outType == F32 && meta[OPERAND + 20] == 1 && i0 + MM_ROWS <= m && j0 + MM_COLS <= nCols) {
                matmulTile(i0, j0);
            } else {
                int jEnd = j0 + MM_COLS < nCols ? j0 + MM_COLS : nCols;
                for (int j = j0; j < jEnd; j++) {
                    matmulColumn(i0, j);
                }
            }
        }
    }

    /**
     * A full float32 tile. The accumulators are a private array (Aparapi turns a constant-size
     * {@code new float[64]} into a C array, not a heap allocation), and the innermost loop runs
     * along a row of b, which is contiguous, so the OpenCL compiler vectorizes it: on PoCL this is
     * ten times faster than one column per work item, whose inner loop strides down b.
     */
    void matmulTile(int i0, int j0) {
        float[] acc = new float[MM_ROWS * MM_COLS];
        for (int q = 0; q < MM_ROWS * MM_COLS; q++) {
            acc[q] = 0f;
        }
        int k = meta[SHAPE + 2];
        int aOff = meta[OPERAND + 9];
        int as0 = meta[OPERAND + 10];
        int as1 = meta[OPERAND + 11];
        int bOff = meta[OPERAND + 18] + j0;
        int bs0 = meta[OPERAND + 19];
        for (int p = 0; p < k; p++) {
            int bRow = bOff + p * bs0;
            for (int r = 0; r < MM_ROWS; r++) {
                float av = f32[aOff + (i0 + r) * as0 + p * as1];
                for (int q = 0; q < MM_COLS; q++) {
                    acc[r * MM_COLS + q] += av * f32[bRow + q];
                }
            }
        }
        int oOff = meta[OPERAND];
        int os0 = meta[OPERAND + 1];
        int os1 = meta[OPERAND + 2];
        for (int r = 0; r < MM_ROWS; r++) {
            for (int q = 0; q < MM_COLS; q++) {
                f32[oOff + (i0 + r) * os0 + (j0 + q) * os1] = acc[r * MM_COLS + q];
            }
        }
    }

    /** Column j of up to MM_ROWS rows from i0, for any dtype and any strides. */
    void matmulColumn(int i0, int j) {
        int m = meta[SHAPE];
        int k = meta[SHAPE + 2];
        int oOff = meta[OPERAND];
        int os0 = meta[OPERAND + 1];
        int os1 = meta[OPERAND + 2];
        int aOff = meta[OPERAND + 9];
        int as0 = meta[OPERAND + 10];
        int as1 = meta[OPERAND + 11];
        int bOff = meta[OPERAND + 18] + j * meta[OPERAND + 20];
        int bs0 = meta[OPERAND + 19];
        int rows = m - i0 < MM_ROWS ? m - i0 : MM_ROWS;
        int a0 = aOff + i0 * as0;
        int a1 = aOff + (rows > 1 ? i0 + 1 : i0) * as0;
        int a2 = aOff + (rows > 2 ? i0 + 2 : i0) * as0;
        int a3 = aOff + (rows > 3 ? i0 + 3 : i0) * as0;
        int oj = oOff + j * os1 + i0 * os0;
        if (outType == F32) {
            float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
            for (int p = 0; p < k; p++) {
                float bv = f32[bOff + p * bs0];
                int ap = p * as1;
                c0 += f32[a0 + ap] * bv;
                c1 += f32[a1 + ap] * bv;
                c2 += f32[a2 + ap] * bv;
                c3 += f32[a3 + ap] * bv;
            }
            f32[oj] = c0;
            if (rows > 1) {
                f32[oj + os0] = c1;
            }
            if (rows > 2) {
                f32[oj + 2 * os0] = c2;
            }
            if (rows > 3) {
                f32[oj + 3 * os0] = c3;
            }
        } else if (outType == F64) {
            double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
            for (int p = 0; p < k; p++) {
                double bv = f64[bOff + p * bs0];
                int ap = p * as1;
                c0 += f64[a0 + ap] * bv;
                c1 += f64[a1 + ap] * bv;
                c2 += f64[a2 + ap] * bv;
                c3 += f64[a3 + ap] * bv;
            }
            f64[oj] = c0;
            if (rows > 1) {
                f64[oj + os0] = c1;
            }
            if (rows > 2) {
                f64[oj + 2 * os0] = c2;
            }
            if (rows > 3) {
                f64[oj + 3 * os0] = c3;
            }
        } else {
            long c0 = 0L, c1 = 0L, c2 = 0L, c3 = 0L;
            for (int p = 0; p < k; p++) {
                long bv = i64[bOff + p * bs0];
                int ap = p * as1;
                c0 += i64[a0 + ap] * bv;
                c1 += i64[a1 + ap] * bv;
                c2 += i64[a2 + ap] * bv;
                c3 += i64[a3 + ap] * bv;
            }
            i64[oj] = c0;
            if (rows > 1) {
                i64[oj + os0] = c1;
            }
            if (rows > 2) {
                i64[oj + 2 * os0] = c2;
            }
            if (rows > 3) {
                i64[oj + 3 * os0] = c3;
            }
        }
    }
}
