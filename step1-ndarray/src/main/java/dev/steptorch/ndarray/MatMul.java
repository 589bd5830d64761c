package dev.steptorch.ndarray;

import java.util.stream.IntStream;

/**
 * The float64 matrix product {@code C = A B} behind {@code dot}/{@code matmul}, the hot spot of
 * every training loop. Three ideas make it fast without native code:
 * <ul>
 *   <li>i-k-j loop order: the innermost loop runs along a row of B and a row of C, both
 *   contiguous, so the JIT turns it into SIMD code;</li>
 *   <li>blocking: k is taken in panels of B small enough to stay in cache while every row of A
 *   passes over them; four k's and two rows of C at a time, so each element of B loaded into a
 *   register feeds two rows and each C element is loaded and stored once per four multiply-adds;</li>
 *   <li>parallelism: rows of C are split across the common fork-join pool, but only when the
 *   product is big enough to pay for waking the threads.</li>
 * </ul>
 */
public final class MatMul {
    /** Rows of B per panel: 128 rows of a 100-wide B are 100 KiB, well inside a core's L2. */
    private static final int K_BLOCK = 128;
    /** Below this many multiply-adds a single thread is faster than splitting. */
    private static final long PARALLEL_WORK = 1L << 17;
    /** Rows of C per parallel task. */
    private static final int ROWS_PER_TASK = 16;

    private MatMul() {
    }

    /**
     * C[m x n] = A[m x k] B[k x n]. A is read through its strides (so a transposed view costs
     * nothing); B must be C-contiguous from {@code bOff}; C is C-contiguous and zeroed.
     */
    public static void multiply(double[] a, int aOff, int aRowStride, int aColStride,
                         double[] b, int bOff, double[] c, int m, int k, int n) {
        long work = (long) m * k * n;
        int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        if (work < PARALLEL_WORK || tasks < 2) {
            rows(a, aOff, aRowStride, aColStride, b, bOff, c, 0, m, k, n);
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int lo = t * ROWS_PER_TASK;
            rows(a, aOff, aRowStride, aColStride, b, bOff, c, lo, Math.min(m, lo + ROWS_PER_TASK), k, n);
        });
    }

    /** Rows lo..hi-1 of C, two at a time so each loaded element of B feeds two rows of C. */
    private static void rows(double[] a, int aOff, int ars, int acs, double[] b, int bOff, double[] c,
                             int lo, int hi, int k, int n) {
        for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
            int k1 = Math.min(k, k0 + K_BLOCK);
            int i = lo;
            for (; i + 1 < hi; i += 2) {
                twoRows(a, aOff + i * ars, aOff + (i + 1) * ars, acs, b, bOff, c, i * n, (i + 1) * n, k0, k1, n);
            }
            if (i < hi) {
                oneRow(a, aOff + i * ars, acs, b, bOff, c, i * n, k0, k1, n);
            }
        }
    }

    private static void twoRows(double[] a, int ai, int ai2, int acs, double[] b, int bOff, double[] c,
                                int ci, int ci2, int k0, int k1, int n) {
        int p = k0;
        for (; p + 3 < k1; p += 4) {
            double a0 = a[ai + p * acs], a1 = a[ai + (p + 1) * acs], a2 = a[ai + (p + 2) * acs], a3 = a[ai + (p + 3) * acs];
            double e0 = a[ai2 + p * acs], e1 = a[ai2 + (p + 1) * acs], e2 = a[ai2 + (p + 2) * acs], e3 = a[ai2 + (p + 3) * acs];
            int b0 = bOff + p * n;
            int b1 = b0 + n;
            int b2 = b1 + n;
            int b3 = b2 + n;
            for (int j = 0; j < n; j++) {
                double x0 = b[b0 + j], x1 = b[b1 + j], x2 = b[b2 + j], x3 = b[b3 + j];
                c[ci + j] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
                c[ci2 + j] += e0 * x0 + e1 * x1 + e2 * x2 + e3 * x3;
            }
        }
        for (; p < k1; p++) {
            double ap = a[ai + p * acs];
            double ep = a[ai2 + p * acs];
            int bp = bOff + p * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] += ap * b[bp + j];
                c[ci2 + j] += ep * b[bp + j];
            }
        }
    }

    private static void oneRow(double[] a, int ai, int acs, double[] b, int bOff, double[] c,
                               int ci, int k0, int k1, int n) {
        int p = k0;
        for (; p + 3 < k1; p += 4) {
            double a0 = a[ai + p * acs], a1 = a[ai + (p + 1) * acs], a2 = a[ai + (p + 2) * acs], a3 = a[ai + (p + 3) * acs];
            int b0 = bOff + p * n;
            int b1 = b0 + n;
            int b2 = b1 + n;
            int b3 = b2 + n;
            for (int j = 0; j < n; j++) {
                c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
            }
        }
        for (; p < k1; p++) {
            double ap = a[ai + p * acs];
            int bp = bOff + p * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] += ap * b[bp + j];
            }
        }
    }
}
