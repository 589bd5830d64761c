package dev.steptorch.tensor.cpu;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The float32 matrix product {@code C = A B} into a fresh (zeroed) C, the hot spot of every
 * network in the course.
 * Plain Java, made fast by letting the JIT vectorise the innermost loop:
 * <ul>
 *   <li>That loop is {@code acc[s] += x0 * y0[s] + x1 * y1[s] + x2 * y2[s] + x3 * y3[s]}: four
 *   k's per pass, every array indexed by the same {@code s}. HotSpot 17's auto-vectoriser gives up
 *   when a loop stores into one array and loads from another at different unknown offsets (the
 *   two might be the same array, overlapping), and that is exactly the shape of
 *   {@code c[i * n + j] += x * b[p * n + j]}: measured, such loops ran no faster than with
 *   vectorisation switched off. So the wide operand is first copied into one small array per k,
 *   and each output line is summed in a scratch array indexed like them, then added into C.</li>
 *   <li>The wide operand is B (lines of C are rows) unless C is narrow, as in
 *   {@code h_relu.mm(w2)} with its 10 columns: then it is Aᵀ, lines of C are columns, and the
 *   vector loop runs down the 64 or 100 rows instead of along 10 columns.</li>
 *   <li>Tiles of {@value #S_TILE} line elements and {@value #K_TILE} k's keep the scratch line in
 *   L1 and the panel of copied rows in L2 while all lines pass over them.</li>
 *   <li>Lines go to the fork-join pool in groups when the product is big enough to pay for it.</li>
 * </ul>
 * A is read through its strides, so {@code x.t().mm(g)} needs no extra copy.
 */
final class FloatGemm {
    static final int S_TILE = 512;
    static final int K_TILE = 128;
    private static final int LINES_PER_TASK = 16;
    private static final long PARALLEL_WORK = 1L << 18;
    /** Narrower than this, C is walked by columns (when it has more rows than columns). */
    private static final int NARROW = 64;

    private FloatGemm() {
    }

    /**
     * A is read as {@code a[aOff + i * ars + p * acs]}, B row-major from bOff, C row-major (m x n),
     * all zeros on entry: the first tile of k's is copied into C, later ones are added.
     */
    static void multiply(float[] a, int aOff, int ars, int acs, float[] b, int bOff, float[] c, int m, int k, int n) {
        if (n >= m || n >= NARROW) {
            // C row i = sum over p of A(i, p) * B row p
            float[][] rows = new float[k][];
            for (int p = 0; p < k; p++) {
                rows[p] = Arrays.copyOfRange(b, bOff + p * n, bOff + p * n + n);
            }
            lines(a, aOff, ars, acs, rows, c, n, 1, m, k, n);
        } else {
            // C column j = sum over p of B(p, j) * (column p of A)
            float[][] columns = new float[k][m];
            for (int p = 0; p < k; p++) {
                float[] col = columns[p];
                for (int i = 0; i < m; i++) {
                    col[i] = a[aOff + i * ars + p * acs];
                }
            }
            lines(b, bOff, 1, n, columns, c, 1, n, n, k, m);
        }
    }

    /**
     * Adds to line r of C (element s at {@code c[r * lineStride + s * elementStride]}) the sum over p
     * of {@code x[xOff + r * xrs + p * xps] * y[p][s]}, for r in 0..count-1.
     */
    private static void lines(float[] x, int xOff, int xrs, int xps, float[][] y, float[] c,
                              int lineStride, int elementStride, int count, int k, int width) {
        int tasks = (count + LINES_PER_TASK - 1) / LINES_PER_TASK;
        if ((long) count * width * k < PARALLEL_WORK || tasks < 2) {
            strip(x, xOff, xrs, xps, y, c, lineStride, elementStride, 0, count, k, width);
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(t -> strip(x, xOff, xrs, xps, y, c, lineStride, elementStride,
                t * LINES_PER_TASK, Math.min(count, (t + 1) * LINES_PER_TASK), k, width));
    }

    /** Lines lo..hi-1, tile by tile. */
    private static void strip(float[] x, int xOff, int xrs, int xps, float[][] y, float[] c,
                              int lineStride, int elementStride, int lo, int hi, int k, int width) {
        float[] acc = new float[width];
        for (int s0 = 0; s0 < width; s0 += S_TILE) {
            int s1 = Math.min(width, s0 + S_TILE);
            for (int p0 = 0; p0 < k; p0 += K_TILE) {
                int p1 = Math.min(k, p0 + K_TILE);
                for (int r = lo; r < hi; r++) {
                    Arrays.fill(acc, s0, s1, 0f);
                    line(x, xOff + r * xrs, xps, y, acc, p0, p1, s0, s1);
                    store(acc, c, r * lineStride, elementStride, s0, s1, p0 == 0);
                }
            }
        }
    }

    /**
     * Adds acc[s0..s1) into the line of C at o. C is fresh, so the first k tile of a row may just
     * be copied there (a vectorised copy, where the add loop is scalar, its offsets differing):
     * bit for bit the same, as a sum that starts from +0.0 is never -0.0.
     */
    private static void store(float[] acc, float[] c, int o, int elementStride, int s0, int s1, boolean first) {
        if (first && elementStride == 1) {
            System.arraycopy(acc, s0, c, o + s0, s1 - s0);
            return;
        }
        for (int s = s0; s < s1; s++) {
            c[o + s * elementStride] += acc[s];
        }
    }

    /**
     * One line of C, four k's per pass. Only one line at a time: a loop that stores into two
     * accumulator lines (sharing the loads of y) was not vectorised at all, even with both lines
     * in one array at a constant distance (measured).
     */
    private static void line(float[] x, int xr, int xps, float[][] y, float[] acc, int p0, int p1, int s0, int s1) {
        int p = p0;
        // four k's per pass, not eight: with eight the JIT no longer vectorised the loop (measured)
        for (; p + 3 < p1; p += 4) {
            int q = xr + p * xps;
            float x0 = x[q], x1 = x[q + xps], x2 = x[q + 2 * xps], x3 = x[q + 3 * xps];
            float[] y0 = y[p], y1 = y[p + 1], y2 = y[p + 2], y3 = y[p + 3];
            for (int s = s0; s < s1; s++) {
                acc[s] += x0 * y0[s] + x1 * y1[s] + x2 * y2[s] + x3 * y3[s];
            }
        }
        for (; p < p1; p++) {
            float x0 = x[xr + p * xps];
            float[] y0 = y[p];
            for (int s = s0; s < s1; s++) {
                acc[s] += x0 * y0[s];
            }
        }
    }
}
