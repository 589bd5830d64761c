package dev.steptorch.tensor.cpu;

import java.util.Arrays;

/**
 * The last few columns of a wider float32 product, when they are too few for {@link FloatGemm}'s
 * tiles: the course's 100 columns are panels of 48 + 48 + 4. FloatGemm's one-vector kernel for
 * such a panel broadcasts 6 numbers of A for every 6 fused multiply-adds, and broadcasts, not the
 * arithmetic, then set its pace: the 4 columns of {@code x @ w1} cost 14-20 % of the whole
 * product on one core. Turned around, the same sums need few or no broadcasts, wherever one of A's
 * strides is 1:
 * <ul>
 *   <li>A's rows contiguous along k ({@code x @ w1}): every number of C is the dot product of a
 *   row of A with a column of B, so the columns, copied out as rows, go to {@link FloatDots},
 *   whose vectors run along k.</li>
 *   <li>A's columns contiguous ({@code x.t() @ grad_h}): the columns of C are rows of
 *   {@code C^T = B^T A^T}, and one vector load of a column of A is 16 rows of C. FloatGemm's
 *   kernel then runs on the transposed product, its 6 rows being these few columns.</li>
 * </ul>
 * Otherwise, when k is too short for whole vectors, or when A is too big to be read a second time
 * from the cache, the columns stay with FloatGemm.
 */
final class NarrowColumns {
    /** Shorter k's stay in FloatGemm: FloatDots sums whole vectors of k. */
    private static final int MIN_K = 64;
    /**
     * The most numbers of A (1 MiB of them, a second-level cache) that these columns read again
     * after FloatGemm has read them for the whole panels. A bigger A is read from memory twice:
     * ResNet-18's weight gradient (576 x 50,176 by 50,176 x 64, an A of 115 MB) ran at 97-103
     * GFLOP/s on one core so, against 113-122 with its last 16 columns left to FloatGemm.
     */
    private static final long MAX_A = 1 << 18;

    private NarrowColumns() {
    }

    /**
     * True when the ragged last panel of a task {@code width} columns wide, with {@code rows} rows
     * and k's, goes faster here than in FloatGemm. Only after whole panels: a product that narrow
     * throughout (the course's 64 x 100 x 10) was slower here.
     */
    static boolean suits(int ars, int acs, int width, int rows, int ks) {
        int cols = width % FloatGemm.NR;
        return width > FloatGemm.NR && cols > 0 && cols <= FloatGemm.LANES && ks >= MIN_K
                && (long) rows * ks <= MAX_A && (acs == 1 || ars == 1 && cols <= FloatGemm.MR && rows >= FloatGemm.NR);
    }

    /**
     * Adds to C (row-major, n wide) its rows i0..i1-1, columns j0..j1-1, summed over k's k0..k1-1,
     * with A and B read as {@link FloatGemm#multiply} reads them. Call only where {@link #suits}.
     */
    static void multiply(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                         float[] c, int n, int i0, int i1, int j0, int j1, int k0, int k1) {
        int cols = j1 - j0, ks = k1 - k0;
        if (acs == 1 && brs == 1) {
            // B's columns are already contiguous along k (B is a transpose: x @ w.t(), cols.mm(grad.t()))
            dots(a, aOff + i0 * ars + k0, ars, b, bOff + k0 + j0 * bcs, bcs, c, n, i0, i1 - i0, j0, cols, ks);
        } else if (acs == 1) {
            // B's columns copied out as rows, contiguous along k
            float[] bt = new float[cols * ks];
            for (int p = 0; p < ks; p++) {
                int src = bOff + (k0 + p) * brs + j0 * bcs;
                for (int s = 0; s < cols; s++) {
                    bt[s * ks + p] = b[src + s * bcs];
                }
            }
            dots(a, aOff + i0 * ars + k0, ars, bt, 0, ks, c, n, i0, i1 - i0, j0, cols, ks);
        } else {
            transposed(a, aOff + k0 * acs, acs, b, bOff + k0 * brs + j0 * bcs, brs, bcs, c, n, i0, i1, j0, cols, ks);
        }
    }

    /**
     * Adds to C's rows i0.. and columns j0.. the dot products of A's {@code rows} rows (from
     * {@code ao}, {@code ars} apart) with B's {@code cols} columns (from {@code bo}, {@code bcs}
     * apart), both contiguous along k. {@link FloatDots} takes 4 rows by 3 columns at a time, so
     * the course's 4 last columns would be a tile of 3 and one of 1, a third of whose sums are
     * dropped; turned around, B's columns are the 4 rows and A's rows the columns, 3 at a time, and
     * the result, C's block transposed, is added into C. Whichever way computes fewer sums is taken.
     * Each dot product is summed in the same order either way; only where k runs past one of
     * FloatDots' chunks (2048) into a C that is not zero are its chunks added to C in one sum
     * instead of one by one, a different rounding. The 4 columns of {@code x @ w1} took 9.0-10.4 µs
     * the first way, against 5.7-6.9 turned around (one core).
     */
    private static void dots(float[] a, int ao, int ars, float[] b, int bo, int bcs, float[] c, int n,
                             int i0, int rows, int j0, int cols, int ks) {
        if (sums(rows, cols) <= sums(cols, rows)) {
            FloatDots.multiply(a, ao, ars, b, bo, bcs, c, i0 * n + j0, n, rows, ks, cols);
            return;
        }
        float[] ct = new float[cols * rows];
        FloatDots.multiply(b, bo, bcs, a, ao, ars, ct, 0, rows, cols, ks, rows);
        addTransposed(ct, rows, c, n, i0, j0, cols, rows);
    }

    /** The sums FloatDots computes for an m x n product, tiles of 4 rows by 3 columns. */
    private static int sums(int m, int n) {
        return (m + 3) / 4 * 4 * ((n + 2) / 3 * 3);
    }

    /**
     * {@code C^T = B^T A^T} for A with contiguous columns (A[i][p] at {@code a[ao + i + p * acs]}):
     * the tile's rows are B's columns from bo ({@code bcs} apart, k steps {@code brs} apart), its
     * 48 columns are rows i.. of C, read in place as A's columns; a last panel narrower than 48 is
     * copied out, so that no load runs past row i1. Each tile is then added to C transposed.
     */
    private static void transposed(float[] a, int ao, int acs, float[] b, int bo, int brs, int bcs,
                                   float[] c, int n, int i0, int i1, int j0, int cols, int ks) {
        int nr = FloatGemm.NR;
        int[] inPlace = FloatGemm.rowsOf(acs, ks);
        // a missing row of the tile (fewer than 6 columns) re-reads the last real one; its sums are dropped
        int[] r = new int[FloatGemm.MR];
        for (int t = 0; t < r.length; t++) {
            r[t] = bo + Math.min(t, cols - 1) * bcs;
        }
        float[] tile = new float[FloatGemm.MR * nr];
        for (int i = i0; i < i1; i += nr) {
            int width = Math.min(nr, i1 - i);
            float[] y = a;
            int yo = ao + i;
            int[] yRows = inPlace;
            if (width < nr) {
                // A's columns i.. are B's rows of the transposed product: FloatGemm's packing of a ragged panel
                y = new float[ks * nr];
                FloatGemm.packB(a, ao + i, acs, 1, ks, width, y, false);
                yo = 0;
                yRows = FloatGemm.rowsOf(nr, ks);
            }
            Arrays.fill(tile, 0f);
            if (width <= FloatGemm.LANES) {
                FloatGemm.kernelColumn(b, r[0], r[1], r[2], r[3], r[4], r[5], brs, y, yo, yRows, tile, 0, nr, ks);
            } else {
                FloatGemm.kernelStrided(b, r[0], r[1], r[2], r[3], r[4], r[5], brs, y, yo, yRows, tile, 0, nr, ks);
            }
            addTransposed(tile, nr, c, n, i, j0, cols, width);
        }
    }

    /**
     * Adds a block of C^T, {@code cols} rows of {@code width} numbers ({@code stride} apart in
     * {@code block}), into C (row-major, n wide) at rows i0.. and columns j0.. .
     */
    private static void addTransposed(float[] block, int stride, float[] c, int n, int i0, int j0, int cols, int width) {
        for (int t = 0; t < cols; t++) {
            for (int s = 0; s < width; s++) {
                c[(i0 + s) * n + j0 + t] += block[t * stride + s];
            }
        }
    }
}
