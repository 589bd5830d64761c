package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 product {@code C += A B} for the shape a convolution's weight gradient has: few
 * columns, a long k ({@code cols . grad^T}, 75 x 50176 x 6 for the course's first layer at
 * batch 64), with A's rows and B's columns both contiguous along k. Every number of C is then a
 * dot product of two long contiguous runs, so the vectors run along k: a tile of 4 rows of A by
 * 3 columns of B keeps 12 vector sums in registers, each loaded vector feeding 3 or 4 fused
 * multiply-adds, and each sum is folded into one number at the end. {@link FloatGemm}'s tiles,
 * 64 columns wide, would spend most of their work on the zero padding of 6 columns.
 */
final class FloatDots {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** k's per pass: 4 rows and 3 columns of this length (84 KiB) stay in the second-level cache. */
    private static final int K_CHUNK = 2048;
    private static final long PARALLEL_WORK = 1L << 18;
    /** From offset t, a mask of the last t lanes: LANES falses, then LANES trues. */
    private static final boolean[] NEW_LANES = new boolean[2 * LANES];

    static {
        java.util.Arrays.fill(NEW_LANES, LANES, 2 * LANES, true);
    }

    private FloatDots() {
    }

    /**
     * True when the operands have that shape: both contiguous along k, k not short, and either n
     * narrow (under half a FloatGemm tile, whose padding would be wasted work) or m at most one
     * tile of rows (a linear layer on a small batch: packing B would cost more than using it).
     * Wider products, a ResNet's weight gradients among them, reuse each loaded number more in
     * FloatGemm's tiles.
     */
    static boolean suits(int acs, int brs, int m, int k, int n) {
        return acs == 1 && brs == 1 && k >= 64 && (n < FloatGemm.NR / 2 || m <= FloatGemm.MR);
    }

    /** A row i at {@code a[aOff + i * ars]}, B column j at {@code b[bOff + j * bcs]}, both contiguous along k; C row-major. */
    static void multiply(float[] a, int aOff, int ars, float[] b, int bOff, int bcs, float[] c, int m, int k, int n) {
        multiply(a, aOff, ars, b, bOff, bcs, c, 0, n, m, k, n);
    }

    /** {@link #multiply} into n columns of a wider C: C's row i starts at {@code cOff + i * ldc}. */
    static void multiply(float[] a, int aOff, int ars, float[] b, int bOff, int bcs, float[] c, int cOff, int ldc,
                         int m, int k, int n) {
        Parallel.forEach((m + 3) / 4, (long) m * k * n, PARALLEL_WORK,
                g -> rows(a, aOff, ars, b, bOff, bcs, c, cOff, ldc, m, k, n, 4 * g));
    }

    /** Rows i..i+3 of C (fewer at the bottom edge), k in chunks so the rows of A are read from cache for every tile. */
    private static void rows(float[] a, int aOff, int ars, float[] b, int bOff, int bcs, float[] c, int cOff, int ldc,
                             int m, int k, int n, int i) {
        int rows = Math.min(4, m - i);
        Sums sums = new Sums();
        for (int p0 = 0; p0 < k; p0 += K_CHUNK) {
            int len = Math.min(K_CHUNK, k - p0);
            for (int j = 0; j < n; j += 3) {
                // a missing row re-reads the one before it; its sums are dropped
                int a0 = aOff + i * ars + p0, a1 = a0 + Math.min(1, rows - 1) * ars;
                int a2 = a0 + Math.min(2, rows - 1) * ars, a3 = a0 + Math.min(3, rows - 1) * ars;
                sums.clear();
                tile(a, a0, a1, a2, a3, rows, b, bOff + j * bcs + p0, bcs, Math.min(3, n - j), len, sums, true, c,
                        cOff + i * ldc + j, ldc);
            }
        }
    }

    /**
     * The 12 sums of a tile between calls: one vector each (12 * LANES floats, {@code lanes}) and
     * one number each for the k's past the last whole vector ({@code tails}). A caller that runs the
     * same dot products over several stretches of k (the images of a convolution's batch) carries
     * them from one call to the next and folds the vectors into numbers once, at the last, instead
     * of once per stretch. Reused, so that a tile allocates nothing.
     */
    static final class Sums {
        final float[] lanes = new float[12 * LANES];
        final float[] tails = new float[12];

        void clear() {
            java.util.Arrays.fill(lanes, 0f);
            java.util.Arrays.fill(tails, 0f);
        }
    }

    /**
     * {@link #tile} for {@link VectorWarmup}, on operands of its own: the calls go through every
     * count of rows (1 to 4) and columns (1 to 3), a length of whole vectors and a ragged one,
     * folded or carried, so that the compiled kernel has seen every branch. A branch it has not
     * seen is a trap back into slower code: the first real call with one column (LeNet's 16 output
     * channels end with one) threw away the kernel compiled here. Compiled, a whole chunk takes a
     * few hundred ns; under 50 ns per vector of k counts as compiled.
     */
    static VectorWarmup.Kernel warmupKernel() {
        float[] a = new float[4 * K_CHUNK], b = new float[3 * K_CHUNK], c = new float[12];
        Sums sums = new Sums();
        int[] calls = {0};
        return new VectorWarmup.Kernel("FloatDots.tile", 50L * K_CHUNK / LANES, () -> {
            int call = calls[0]++, rows = 1 + call % 4, cols = 1 + call / 4 % 3;
            boolean whole = call / 12 % 2 == 0;
            int a1 = Math.min(1, rows - 1) * K_CHUNK, a2 = Math.min(2, rows - 1) * K_CHUNK, a3 = (rows - 1) * K_CHUNK;
            tile(a, 0, a1, a2, a3, rows, b, 0, K_CHUNK, cols, whole ? K_CHUNK : K_CHUNK - 5, sums, call % 2 == 0, c, 0, 3);
        });
    }

    /**
     * Adds to the 12 sums of {@code sums} the dot products over len k's of the first {@code rows}
     * of the rows of A at a0..a3 with {@code cols} columns of B from bi (bcs apart); with
     * {@code fold}, then adds the sums to C at o (rows n apart). The caller passes a missing row as
     * one of the others; a missing column re-reads the one before it, so the loop needs no test;
     * their sums are dropped.
     */
    static void tile(float[] a, int a0, int a1, int a2, int a3, int rows, float[] b, int bi, int bcs, int cols, int len,
                     Sums sums, boolean fold, float[] c, int o, int n) {
        int b0 = bi, b1 = cols > 1 ? b0 + bcs : b0, b2 = cols > 2 ? b1 + bcs : b1;
        float[] v = sums.lanes;
        FloatVector s00 = FloatVector.fromArray(SPECIES, v, 0), s01 = FloatVector.fromArray(SPECIES, v, LANES);
        FloatVector s02 = FloatVector.fromArray(SPECIES, v, 2 * LANES), s10 = FloatVector.fromArray(SPECIES, v, 3 * LANES);
        FloatVector s11 = FloatVector.fromArray(SPECIES, v, 4 * LANES), s12 = FloatVector.fromArray(SPECIES, v, 5 * LANES);
        FloatVector s20 = FloatVector.fromArray(SPECIES, v, 6 * LANES), s21 = FloatVector.fromArray(SPECIES, v, 7 * LANES);
        FloatVector s22 = FloatVector.fromArray(SPECIES, v, 8 * LANES), s30 = FloatVector.fromArray(SPECIES, v, 9 * LANES);
        FloatVector s31 = FloatVector.fromArray(SPECIES, v, 10 * LANES), s32 = FloatVector.fromArray(SPECIES, v, 11 * LANES);
        int main = len / LANES * LANES;
        for (int p = 0; p < main; p += LANES) {
            FloatVector y0 = FloatVector.fromArray(SPECIES, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(SPECIES, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(SPECIES, b, b2 + p);
            FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(SPECIES, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(SPECIES, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(SPECIES, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
        }
        if (main < len && len >= LANES) {
            // The k's past the last whole vector as one more vector that ends at len. Its first lanes
            // were summed above, so the mask adds only the new ones. One by one, these few k's would be
            // 12 chains of dependent scalar sums, as long as all the vectors of a LeNet conv2 image.
            VectorMask<Float> fresh = VectorMask.fromArray(SPECIES, NEW_LANES, len - main);
            int p = len - LANES;
            FloatVector y0 = FloatVector.fromArray(SPECIES, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(SPECIES, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(SPECIES, b, b2 + p);
            FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + p);
            s00 = s00.add(x.mul(y0), fresh);
            s01 = s01.add(x.mul(y1), fresh);
            s02 = s02.add(x.mul(y2), fresh);
            x = FloatVector.fromArray(SPECIES, a, a1 + p);
            s10 = s10.add(x.mul(y0), fresh);
            s11 = s11.add(x.mul(y1), fresh);
            s12 = s12.add(x.mul(y2), fresh);
            x = FloatVector.fromArray(SPECIES, a, a2 + p);
            s20 = s20.add(x.mul(y0), fresh);
            s21 = s21.add(x.mul(y1), fresh);
            s22 = s22.add(x.mul(y2), fresh);
            x = FloatVector.fromArray(SPECIES, a, a3 + p);
            s30 = s30.add(x.mul(y0), fresh);
            s31 = s31.add(x.mul(y1), fresh);
            s32 = s32.add(x.mul(y2), fresh);
        }
        float[] t = sums.tails;
        if (len < LANES) {
            // shorter than one vector: one by one
            for (int r = 0; r < rows; r++) {
                int ar = r == 0 ? a0 : r == 1 ? a1 : r == 2 ? a2 : a3;
                for (int s = 0; s < cols; s++) {
                    for (int p = 0; p < len; p++) {
                        t[3 * r + s] += a[ar + p] * b[bi + s * bcs + p];
                    }
                }
            }
        }
        s00.intoArray(v, 0);
        s01.intoArray(v, LANES);
        s02.intoArray(v, 2 * LANES);
        s10.intoArray(v, 3 * LANES);
        s11.intoArray(v, 4 * LANES);
        s12.intoArray(v, 5 * LANES);
        s20.intoArray(v, 6 * LANES);
        s21.intoArray(v, 7 * LANES);
        s22.intoArray(v, 8 * LANES);
        s30.intoArray(v, 9 * LANES);
        s31.intoArray(v, 10 * LANES);
        s32.intoArray(v, 11 * LANES);
        if (!fold) {
            return;
        }
        // fold: each vector sum back from the array into its number
        for (int i = 0; i < 12; i++) {
            t[i] += FloatVector.fromArray(SPECIES, v, i * LANES).reduceLanes(VectorOperators.ADD);
        }
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < cols; s++) {
                c[o + r * n + s] += t[3 * r + s];
            }
        }
    }
}
