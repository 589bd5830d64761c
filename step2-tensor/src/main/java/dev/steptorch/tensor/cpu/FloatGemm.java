package dev.steptorch.tensor.cpu;

import java.util.stream.IntStream;

/**
 * The float32 matrix product {@code C += A B}, the hot spot of every network in the course.
 * Plain Java, made fast by keeping the JIT's vector registers busy:
 * <ul>
 *   <li>the innermost loop runs along a row of B and of C (both unit stride), so it vectorises;</li>
 *   <li>each pass of that loop serves four rows of C and four k's: every B element loaded feeds
 *   four rows, and every C element is loaded and stored once per sixteen multiply-adds;</li>
 *   <li>tiles of {@value #N_TILE} columns and {@value #K_TILE} k's keep the C strip in L1 and
 *   the B panel in L2 while all rows pass over them;</li>
 *   <li>row strips go to the fork-join pool when the product is big enough to pay for it.</li>
 * </ul>
 * A is read through its strides, so {@code x.t().mm(g)} needs no copy.
 */
final class FloatGemm {
    static final int N_TILE = 512;
    static final int K_TILE = 128;
    private static final int ROWS_PER_TASK = 16;
    private static final long PARALLEL_WORK = 1L << 18;

    private FloatGemm() {
    }

    static void multiply(float[] a, int aOff, int ars, int acs, float[] b, int bOff, float[] c, int m, int k, int n) {
        int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if ((long) m * n * k < PARALLEL_WORK || tasks < 2) {
            strip(a, aOff, ars, acs, b, bOff, c, 0, m, k, n);
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(t -> strip(a, aOff, ars, acs, b, bOff, c,
                t * ROWS_PER_TASK, Math.min(m, (t + 1) * ROWS_PER_TASK), k, n));
    }

    /** Rows lo..hi-1 of C, tile by tile. */
    private static void strip(float[] a, int aOff, int ars, int acs, float[] b, int bOff, float[] c,
                              int lo, int hi, int k, int n) {
        for (int j0 = 0; j0 < n; j0 += N_TILE) {
            int j1 = Math.min(n, j0 + N_TILE);
            for (int k0 = 0; k0 < k; k0 += K_TILE) {
                int k1 = Math.min(k, k0 + K_TILE);
                int i = lo;
                for (; i + 3 < hi; i += 4) {
                    fourRows(a, aOff + i * ars, ars, acs, b, bOff, c, i * n, n, k0, k1, j0, j1);
                }
                for (; i < hi; i++) {
                    oneRow(a, aOff + i * ars, acs, b, bOff, c, i * n, n, k0, k1, j0, j1);
                }
            }
        }
    }

    private static void fourRows(float[] a, int ai, int ars, int acs, float[] b, int bOff, float[] c,
                                 int ci, int n, int k0, int k1, int j0, int j1) {
        int c0 = ci, c1 = ci + n, c2 = ci + 2 * n, c3 = ci + 3 * n;
        int a0 = ai, a1 = ai + ars, a2 = ai + 2 * ars, a3 = ai + 3 * ars;
        int p = k0;
        for (; p + 3 < k1; p += 4) {
            int q0 = p * acs, q1 = q0 + acs, q2 = q1 + acs, q3 = q2 + acs;
            float x00 = a[a0 + q0], x01 = a[a0 + q1], x02 = a[a0 + q2], x03 = a[a0 + q3];
            float x10 = a[a1 + q0], x11 = a[a1 + q1], x12 = a[a1 + q2], x13 = a[a1 + q3];
            float x20 = a[a2 + q0], x21 = a[a2 + q1], x22 = a[a2 + q2], x23 = a[a2 + q3];
            float x30 = a[a3 + q0], x31 = a[a3 + q1], x32 = a[a3 + q2], x33 = a[a3 + q3];
            int b0 = bOff + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
            for (int j = j0; j < j1; j++) {
                float y0 = b[b0 + j], y1 = b[b1 + j], y2 = b[b2 + j], y3 = b[b3 + j];
                c[c0 + j] += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
                c[c1 + j] += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
                c[c2 + j] += x20 * y0 + x21 * y1 + x22 * y2 + x23 * y3;
                c[c3 + j] += x30 * y0 + x31 * y1 + x32 * y2 + x33 * y3;
            }
        }
        for (; p < k1; p++) {
            float x0 = a[a0 + p * acs], x1 = a[a1 + p * acs], x2 = a[a2 + p * acs], x3 = a[a3 + p * acs];
            int bp = bOff + p * n;
            for (int j = j0; j < j1; j++) {
                float y = b[bp + j];
                c[c0 + j] += x0 * y;
                c[c1 + j] += x1 * y;
                c[c2 + j] += x2 * y;
                c[c3 + j] += x3 * y;
            }
        }
    }

    private static void oneRow(float[] a, int ai, int acs, float[] b, int bOff, float[] c,
                               int ci, int n, int k0, int k1, int j0, int j1) {
        for (int p = k0; p < k1; p++) {
            float x = a[ai + p * acs];
            int bp = bOff + p * n;
            for (int j = j0; j < j1; j++) {
                c[ci + j] += x * b[bp + j];
            }
        }
    }
}
