package dev.steptorch.ndarray;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 matrix product {@code C = A B} behind {@code dot}/{@code matmul}, the hot spot of
 * every training loop. It is written with the incubating Vector API ({@code jdk.incubator.vector}),
 * so the build and every {@code java} launch pass {@code --add-modules jdk.incubator.vector}. The plain
 * loops it replaces left vectorising to HotSpot 17, which kept the sums in memory and used no fused
 * multiply-add: they ran 1.4-4x slower than this kernel (one thread, the course's shapes, measured).
 * <ul>
 *   <li>Register blocking: a micro-kernel keeps a block of 4 rows x 4 vectors of C (16 vector
 *   registers) while it walks k; per k it loads 4 vectors of a B row once and broadcasts one A
 *   element per row, so every loaded element feeds 4 or 16 fused multiply-adds. Narrower
 *   leftovers use 4 x 2 and 4 x 1 blocks.</li>
 *   <li>B is read where it lies. When n is not a whole number of vectors, only its ragged last
 *   vector of columns is copied out, k rows of one vector padded with zeros, so the kernel never
 *   needs a masked load; the extra lanes are simply not stored. Copying all of B into padded rows,
 *   as this class once did, took about 100 of the 280 µs of the course's {@code x.dot(w1)} (an
 *   800 KB array, fresh at every call). Leftover rows of C (fewer than 4) re-read the last real
 *   row of A and are not stored either.</li>
 *   <li>k is taken in tiles of 256 ({@code K_TILE}), so the strip of B a block walks stays in cache while
 *   every block of rows passes over it; each tile's sums are added into C.</li>
 *   <li>Rows of C go to the threads of {@link Parallel} in groups, but only when the product is big
 *   enough to pay for handing them out. Its pool is step 2's too, so {@code Torch.setNumThreads}
 *   also holds for float64 products, and a product inside a parallel body runs on its thread
 *   alone (the common fork-join pool, used before, knew neither).</li>
 * </ul>
 * step 2's float32 kernel ({@code FloatGemm}) began as this code; it has since taken GotoBLAS's
 * layout (packed operands, 6 x 3 tiles).
 */
public final class MatMul {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** Doubles per vector register: 8 with AVX-512, 4 with AVX2. */
    private static final int LANES = SPECIES.length();
    private static final int ROWS = 4;
    private static final int K_TILE = 256;
    private static final int ROWS_PER_TASK = 16;
    /** Below this many multiply-adds a single thread is faster than splitting. */
    private static final long PARALLEL_WORK = 1L << 17;

    private MatMul() {
    }

    /**
     * The product behind {@code dot} and {@code matmul} for 1- and 2-D operands: a vector becomes a
     * one-row (left) or one-column (right) matrix, and its axis is dropped from the result again.
     * Fails as NumPy does when the inner sizes differ, naming {@code op}.
     */
    static NDArray product(String op, NDArray x, NDArray y) {
        if (x.ndim() > 2 || y.ndim() > 2) {
            throw new IllegalArgumentException(op + ": only 1-D and 2-D operands are supported, got shapes "
                    + Shapes.compact(x.shape) + " and " + Shapes.compact(y.shape));
        }
        int kDim = x.ndim() - 1;
        int yKDim = y.ndim() == 1 ? 0 : y.ndim() - 2;
        int k = x.shape[kDim];
        if (k != y.shape[yKDim]) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.compact(x.shape) + " and " + Shapes.compact(y.shape)
                    + " not aligned: " + k + " (dim " + kDim + ") != " + y.shape[yKDim] + " (dim " + yKDim + ")");
        }
        // Only B needs to be contiguous float64: the kernel reads A through any strides.
        NDArray a = x.ndim() == 1 ? NumPy.expandDims(x, 0) : x;
        NDArray b = y.ndim() == 1 ? NumPy.expandDims(y, 1) : y;
        if (a.dtype != DType.FLOAT64) {
            a = a.astype(DType.FLOAT64);
        }
        if (b.dtype != DType.FLOAT64 || !b.isContiguous()) {
            b = b.astype(DType.FLOAT64);
        }
        int m = a.shape[0];
        int n = b.shape[1];
        double[] c = new double[m * n];
        multiply((double[]) a.data, a.offset, a.strides[0], a.strides[1], (double[]) b.data, b.offset, c, m, k, n);
        int[] outShape = x.ndim() == 1 && y.ndim() == 1 ? new int[0]
                : x.ndim() == 1 ? new int[] {n} : y.ndim() == 1 ? new int[] {m} : new int[] {m, n};
        NDArray out = NDArray.wrap(c, outShape);
        DType type = DType.promote(x.dtype, y.dtype);
        return type == DType.FLOAT64 ? out : out.astype(type);
    }

    /**
     * C[m x n] = A[m x k] B[k x n]. A is read as {@code a[aOff + i * ars + p * acs]} (so a transposed
     * view costs nothing); B must be C-contiguous from {@code bOff}; C is C-contiguous and zeroed.
     */
    public static void multiply(double[] a, int aOff, int ars, int acs, double[] b, int bOff, double[] c,
                                int m, int k, int n) {
        int whole = n / LANES * LANES;
        double[] tail = whole == n ? null : tailColumns(b, bOff, k, n, whole);
        int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if ((long) m * k * n < PARALLEL_WORK || tasks < 2) {
            rows(a, aOff, ars, acs, b, bOff, tail, c, 0, m, k, n);
            return;
        }
        Parallel.forEach(tasks, t -> rows(a, aOff, ars, acs, b, bOff, tail, c,
                t * ROWS_PER_TASK, Math.min(m, (t + 1) * ROWS_PER_TASK), k, n));
    }

    /** B's columns from {@code whole} on (fewer than one vector), as k rows of one vector each, the rest left zero. */
    private static double[] tailColumns(double[] b, int bOff, int k, int n, int whole) {
        double[] y = new double[k * LANES];
        for (int p = 0; p < k; p++) {
            System.arraycopy(b, bOff + p * n + whole, y, p * LANES, n - whole);
        }
        return y;
    }

    /** Rows lo..hi-1 of C; B row p starts at {@code b[bOff + p * n]}, its ragged last vector's columns at {@code tail[p * LANES]}. */
    private static void rows(double[] a, int aOff, int ars, int acs, double[] b, int bOff, double[] tail, double[] c,
                             int lo, int hi, int k, int n) {
        double[] spill = new double[LANES];
        int whole = n / LANES * LANES;
        for (int p0 = 0; p0 < k; p0 += K_TILE) {
            int kc = Math.min(k, p0 + K_TILE) - p0;
            int yp = bOff + p0 * n;
            int s = 0;
            for (; s + 4 * LANES <= whole; s += 4 * LANES) {
                for (int i = lo; i < hi; i += ROWS) {
                    block4(a, aOff + i * ars + p0 * acs, ars, acs, kc, b, yp + s, n,
                            c, i * n, n, s, Math.min(ROWS, hi - i), spill);
                }
            }
            for (; s + 2 * LANES <= whole; s += 2 * LANES) {
                for (int i = lo; i < hi; i += ROWS) {
                    block2(a, aOff + i * ars + p0 * acs, ars, acs, kc, b, yp + s, n,
                            c, i * n, n, s, Math.min(ROWS, hi - i), spill);
                }
            }
            for (; s < whole; s += LANES) {
                for (int i = lo; i < hi; i += ROWS) {
                    block1(a, aOff + i * ars + p0 * acs, ars, acs, kc, b, yp + s, n,
                            c, i * n, n, s, Math.min(ROWS, hi - i), spill);
                }
            }
            if (tail != null) {
                for (int i = lo; i < hi; i += ROWS) {
                    block1(a, aOff + i * ars + p0 * acs, ars, acs, kc, tail, p0 * LANES, LANES,
                            c, i * n, n, whole, Math.min(ROWS, hi - i), spill);
                }
            }
        }
    }

    /**
     * Adds v into the row of C at o from column s; lanes past column n-1 hold the zero padding of B
     * and are dropped. That partial case, once per row, goes through a small array rather than a
     * masked load and store, whose speed in JDK 17 was not measured here.
     */
    private static void add(DoubleVector v, double[] c, int o, int s, int n, double[] spill) {
        if (s + LANES <= n) {
            v.add(DoubleVector.fromArray(SPECIES, c, o + s)).intoArray(c, o + s);
        } else {
            v.intoArray(spill, 0);
            for (int j = s; j < n; j++) {
                c[o + j] += spill[j - s];
            }
        }
    }

    /**
     * Adds to a block of C, {@code rows} (at most 4) rows from {@code c[o]} x 4 vectors from column s,
     * the sum over kc k's of A (row r, k q at {@code a[ai + r * ars + q * acs]}) times B (row q at
     * {@code y[yo + q * width]}). The 16 sums are separate local variables so that the JIT keeps
     * them in registers for the whole loop.
     */
    private static void block4(double[] a, int ai, int ars, int acs, int kc, double[] y, int yo, int width,
                               double[] c, int o, int n, int s, int rows, double[] spill) {
        // a missing row re-reads the row above it, so the loop needs no test; its sums are dropped
        int a0 = ai, a1 = rows > 1 ? a0 + ars : a0, a2 = rows > 2 ? a1 + ars : a1, a3 = rows > 3 ? a2 + ars : a2;
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int q = 0; q < kc; q++) {
            int yq = yo + q * width, aq = q * acs;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, y, yq);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, y, yq + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, y, yq + 2 * LANES);
            DoubleVector b3 = DoubleVector.fromArray(SPECIES, y, yq + 3 * LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + aq]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = DoubleVector.broadcast(SPECIES, a[a1 + aq]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = DoubleVector.broadcast(SPECIES, a[a2 + aq]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = DoubleVector.broadcast(SPECIES, a[a3 + aq]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
        }
        // unrolled by hand: passing the sums through a helper method made C2 box them (measured 5x slower)
        add(c00, c, o, s, n, spill);
        add(c01, c, o, s + LANES, n, spill);
        add(c02, c, o, s + 2 * LANES, n, spill);
        add(c03, c, o, s + 3 * LANES, n, spill);
        if (rows > 1) {
            add(c10, c, o + n, s, n, spill);
            add(c11, c, o + n, s + LANES, n, spill);
            add(c12, c, o + n, s + 2 * LANES, n, spill);
            add(c13, c, o + n, s + 3 * LANES, n, spill);
        }
        if (rows > 2) {
            add(c20, c, o + 2 * n, s, n, spill);
            add(c21, c, o + 2 * n, s + LANES, n, spill);
            add(c22, c, o + 2 * n, s + 2 * LANES, n, spill);
            add(c23, c, o + 2 * n, s + 3 * LANES, n, spill);
        }
        if (rows > 3) {
            add(c30, c, o + 3 * n, s, n, spill);
            add(c31, c, o + 3 * n, s + LANES, n, spill);
            add(c32, c, o + 3 * n, s + 2 * LANES, n, spill);
            add(c33, c, o + 3 * n, s + 3 * LANES, n, spill);
        }
    }

    /** {@link #block4} with 2 vectors of columns. */
    private static void block2(double[] a, int ai, int ars, int acs, int kc, double[] y, int yo, int width,
                               double[] c, int o, int n, int s, int rows, double[] spill) {
        int a0 = ai, a1 = rows > 1 ? a0 + ars : a0, a2 = rows > 2 ? a1 + ars : a1, a3 = rows > 3 ? a2 + ars : a2;
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int q = 0; q < kc; q++) {
            int yq = yo + q * width, aq = q * acs;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, y, yq);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, y, yq + LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + aq]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = DoubleVector.broadcast(SPECIES, a[a1 + aq]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = DoubleVector.broadcast(SPECIES, a[a2 + aq]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = DoubleVector.broadcast(SPECIES, a[a3 + aq]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        add(c00, c, o, s, n, spill);
        add(c01, c, o, s + LANES, n, spill);
        if (rows > 1) {
            add(c10, c, o + n, s, n, spill);
            add(c11, c, o + n, s + LANES, n, spill);
        }
        if (rows > 2) {
            add(c20, c, o + 2 * n, s, n, spill);
            add(c21, c, o + 2 * n, s + LANES, n, spill);
        }
        if (rows > 3) {
            add(c30, c, o + 3 * n, s, n, spill);
            add(c31, c, o + 3 * n, s + LANES, n, spill);
        }
    }

    /** {@link #block4} with 1 vector of columns. */
    private static void block1(double[] a, int ai, int ars, int acs, int kc, double[] y, int yo, int width,
                               double[] c, int o, int n, int s, int rows, double[] spill) {
        int a0 = ai, a1 = rows > 1 ? a0 + ars : a0, a2 = rows > 2 ? a1 + ars : a1, a3 = rows > 3 ? a2 + ars : a2;
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < kc; q++) {
            int aq = q * acs;
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, y, yo + q * width);
            c0 = b0.fma(DoubleVector.broadcast(SPECIES, a[a0 + aq]), c0);
            c1 = b0.fma(DoubleVector.broadcast(SPECIES, a[a1 + aq]), c1);
            c2 = b0.fma(DoubleVector.broadcast(SPECIES, a[a2 + aq]), c2);
            c3 = b0.fma(DoubleVector.broadcast(SPECIES, a[a3 + aq]), c3);
        }
        add(c0, c, o, s, n, spill);
        if (rows > 1) {
            add(c1, c, o + n, s, n, spill);
        }
        if (rows > 2) {
            add(c2, c, o + 2 * n, s, n, spill);
        }
        if (rows > 3) {
            add(c3, c, o + 3 * n, s, n, spill);
        }
    }
}
