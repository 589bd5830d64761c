package dev.steptorch.tensor.cpu;

import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 matrix product {@code C = A B} into a fresh (zeroed) C, the hot spot of every
 * network in the course. It is written with the incubating Vector API ({@code jdk.incubator.vector}),
 * so the build and every {@code java} launch pass {@code --add-modules jdk.incubator.vector}. The plain
 * loops it replaces left vectorising to HotSpot 17, which kept the sums in memory and used no fused
 * multiply-add: they ran 1.4-3.6x slower than this kernel (one thread, the course's shapes, measured).
 * <ul>
 *   <li>Register blocking: a micro-kernel keeps a block of 4 rows x 4 vectors of C (16 vector
 *   registers) while it walks k; per k it loads 4 vectors of a B row once and broadcasts one A
 *   element per row, so every loaded element feeds 4 or 16 fused multiply-adds. Narrower
 *   leftovers use 4 x 2 and 4 x 1 blocks.</li>
 *   <li>B is read in place for every whole vector of columns; when n is not a whole number of
 *   vectors, only the last, ragged vector of columns is copied into rows padded with zeros, so the
 *   kernel never needs a masked load; the extra lanes are simply not stored. Leftover rows of C
 *   (fewer than 4) re-read the last real row of A and are not stored either.</li>
 *   <li>k is taken in tiles of 256 ({@code K_TILE}), so the strip of B a block walks stays in cache while
 *   every block of rows passes over it; each tile's sums are added into C.</li>
 *   <li>Rows go to the fork-join pool in groups when the product is big enough to pay for it.</li>
 * </ul>
 * A is read through its strides, so {@code x.t().mm(g)} needs no extra copy.
 */
final class FloatGemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector register: 16 with AVX-512, 8 with AVX2. */
    private static final int LANES = SPECIES.length();
    private static final int ROWS = 4;
    private static final int K_TILE = 256;
    private static final int ROWS_PER_TASK = 16;
    private static final long PARALLEL_WORK = 1L << 18;

    private FloatGemm() {
    }

    /**
     * A is read as {@code a[aOff + i * ars + p * acs]}, B row-major from bOff, C row-major (m x n),
     * all zeros on entry.
     */
    static void multiply(float[] a, int aOff, int ars, int acs, float[] b, int bOff, float[] c, int m, int k, int n) {
        // whole vectors of columns are read from B in place; only a ragged last one is copied, padded
        int main = n / LANES * LANES;
        float[] tail = main == n ? null : tailColumns(b, bOff, k, n, main);
        int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if ((long) m * k * n < PARALLEL_WORK || tasks < 2) {
            rows(a, aOff, ars, acs, b, bOff, tail, c, 0, m, k, n);
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(t -> rows(a, aOff, ars, acs, b, bOff, tail, c,
                t * ROWS_PER_TASK, Math.min(m, (t + 1) * ROWS_PER_TASK), k, n));
    }

    /** Columns main..n-1 of B's k rows, each copied into a row of one vector (the rest left zero). */
    private static float[] tailColumns(float[] b, int bOff, int k, int n, int main) {
        float[] y = new float[k * LANES];
        for (int p = 0; p < k; p++) {
            System.arraycopy(b, bOff + p * n + main, y, p * LANES, n - main);
        }
        return y;
    }

    /** Rows lo..hi-1 of C; B row p starts at {@code b[bOff + p * n]}, its tail columns at {@code tail[p * LANES]}. */
    private static void rows(float[] a, int aOff, int ars, int acs, float[] b, int bOff, float[] tail, float[] c,
                             int lo, int hi, int k, int n) {
        float[] spill = new float[LANES];
        int main = n / LANES * LANES;
        for (int p0 = 0; p0 < k; p0 += K_TILE) {
            int kc = Math.min(k, p0 + K_TILE) - p0;
            int bp = bOff + p0 * n;
            int s = 0;
            for (; s + 4 * LANES <= main; s += 4 * LANES) {
                for (int i = lo; i < hi; i += ROWS) {
                    block4(a, aOff + i * ars + p0 * acs, ars, acs, kc, b, bp + s, n,
                            c, i * n, n, s, Math.min(ROWS, hi - i), spill);
                }
            }
            for (; s + 2 * LANES <= main; s += 2 * LANES) {
                for (int i = lo; i < hi; i += ROWS) {
                    block2(a, aOff + i * ars + p0 * acs, ars, acs, kc, b, bp + s, n,
                            c, i * n, n, s, Math.min(ROWS, hi - i), spill);
                }
            }
            for (; s < main; s += LANES) {
                for (int i = lo; i < hi; i += ROWS) {
                    block1(a, aOff + i * ars + p0 * acs, ars, acs, kc, b, bp + s, n,
                            c, i * n, n, s, Math.min(ROWS, hi - i), spill);
                }
            }
            if (tail != null) {
                for (int i = lo; i < hi; i += ROWS) {
                    block1(a, aOff + i * ars + p0 * acs, ars, acs, kc, tail, p0 * LANES, LANES,
                            c, i * n, n, main, Math.min(ROWS, hi - i), spill);
                }
            }
        }
    }

    /**
     * Adds v into the row of C at o from column s; lanes past column n-1 hold the zero padding of B
     * and are dropped. That partial case, once per row, goes through a small array rather than a
     * masked load and store, whose speed in JDK 17 was not measured here.
     */
    private static void add(FloatVector v, float[] c, int o, int s, int n, float[] spill) {
        if (s + LANES <= n) {
            v.add(FloatVector.fromArray(SPECIES, c, o + s)).intoArray(c, o + s);
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
    private static void block4(float[] a, int ai, int ars, int acs, int kc, float[] y, int yo, int width,
                               float[] c, int o, int n, int s, int rows, float[] spill) {
        // a missing row re-reads the row above it, so the loop needs no test; its sums are dropped
        int a0 = ai, a1 = rows > 1 ? a0 + ars : a0, a2 = rows > 2 ? a1 + ars : a1, a3 = rows > 3 ? a2 + ars : a2;
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int q = 0; q < kc; q++) {
            int yq = yo + q * width, aq = q * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, y, yq);
            FloatVector b1 = FloatVector.fromArray(SPECIES, y, yq + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, y, yq + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, y, yq + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + aq]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(SPECIES, a[a1 + aq]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(SPECIES, a[a2 + aq]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(SPECIES, a[a3 + aq]);
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
    private static void block2(float[] a, int ai, int ars, int acs, int kc, float[] y, int yo, int width,
                               float[] c, int o, int n, int s, int rows, float[] spill) {
        int a0 = ai, a1 = rows > 1 ? a0 + ars : a0, a2 = rows > 2 ? a1 + ars : a1, a3 = rows > 3 ? a2 + ars : a2;
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int q = 0; q < kc; q++) {
            int yq = yo + q * width, aq = q * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, y, yq);
            FloatVector b1 = FloatVector.fromArray(SPECIES, y, yq + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + aq]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(SPECIES, a[a1 + aq]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(SPECIES, a[a2 + aq]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(SPECIES, a[a3 + aq]);
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
    private static void block1(float[] a, int ai, int ars, int acs, int kc, float[] y, int yo, int width,
                               float[] c, int o, int n, int s, int rows, float[] spill) {
        int a0 = ai, a1 = rows > 1 ? a0 + ars : a0, a2 = rows > 2 ? a1 + ars : a1, a3 = rows > 3 ? a2 + ars : a2;
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int q = 0; q < kc; q++) {
            int aq = q * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, y, yo + q * width);
            c0 = b0.fma(FloatVector.broadcast(SPECIES, a[a0 + aq]), c0);
            c1 = b0.fma(FloatVector.broadcast(SPECIES, a[a1 + aq]), c1);
            c2 = b0.fma(FloatVector.broadcast(SPECIES, a[a2 + aq]), c2);
            c3 = b0.fma(FloatVector.broadcast(SPECIES, a[a3 + aq]), c3);
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
