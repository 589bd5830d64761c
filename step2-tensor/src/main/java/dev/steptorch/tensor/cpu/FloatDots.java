package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
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
        Parallel.forEach((m + 3) / 4, (long) m * k * n, PARALLEL_WORK, g -> rows(a, aOff, ars, b, bOff, bcs, c, m, k, n, 4 * g));
    }

    /** Rows i..i+3 of C (fewer at the bottom edge), k in chunks so the rows of A are read from cache for every tile. */
    private static void rows(float[] a, int aOff, int ars, float[] b, int bOff, int bcs, float[] c, int m, int k, int n, int i) {
        int rows = Math.min(4, m - i);
        float[] sums = new float[12];
        for (int p0 = 0; p0 < k; p0 += K_CHUNK) {
            int len = Math.min(K_CHUNK, k - p0);
            for (int j = 0; j < n; j += 3) {
                // a missing row re-reads the one before it; its sums are dropped
                int a0 = aOff + i * ars + p0, a1 = a0 + Math.min(1, rows - 1) * ars;
                int a2 = a0 + Math.min(2, rows - 1) * ars, a3 = a0 + Math.min(3, rows - 1) * ars;
                tile(a, a0, a1, a2, a3, rows, 0, b, bOff + j * bcs + p0, bcs, 0, Math.min(3, n - j), len, 1, c, i * n + j, n, sums);
            }
        }
    }

    /**
     * {@link #tile} for {@link VectorWarmup}, on operands of its own: the calls take turns between a
     * whole 4 x 3 chunk and a ragged 3 x 2 one with k's past the last whole vector, so that the
     * compiled kernel has seen every branch, each over two stretches of k. Compiled, a whole chunk
     * takes a few hundred ns; under 50 ns per vector of k counts as compiled.
     */
    static VectorWarmup.Kernel warmupKernel() {
        float[] a = new float[4 * K_CHUNK], b = new float[3 * K_CHUNK], c = new float[12], sums = new float[12];
        int[] calls = {0};
        return new VectorWarmup.Kernel("FloatDots.tile", 50L * K_CHUNK / LANES, () -> {
            boolean whole = calls[0]++ % 2 == 0;
            int len = whole ? K_CHUNK / 2 : K_CHUNK / 2 - 5;
            tile(a, 0, K_CHUNK, 2 * K_CHUNK, whole ? 3 * K_CHUNK : 2 * K_CHUNK, whole ? 4 : 3, K_CHUNK / 2, b, 0, K_CHUNK, K_CHUNK / 2,
                    whole ? 3 : 2, len, 2, c, 0, 3, sums);
        });
    }

    /**
     * Adds to C at o (rows n apart) the dot products over len k's of the first {@code rows} of the
     * rows of A at a0..a3 with {@code cols} columns of B from bi (bcs apart), continued over
     * {@code segments} stretches of len k's, A's rows aStep further on and B's columns bStep further
     * on each time (the images of a convolution's batch, so that the vector sums are folded once,
     * not once per image). The caller passes a missing row as one of the others; a missing column
     * re-reads the one before it, so the loop needs no test; their sums are dropped. {@code sums} is
     * the caller's scratch for the 12 folded sums, so a tile allocates nothing.
     */
    static void tile(float[] a, int a0, int a1, int a2, int a3, int rows, int aStep, float[] b, int bi, int bcs, int bStep,
                     int cols, int len, int segments, float[] c, int o, int n, float[] sums) {
        int b0 = bi, b1 = cols > 1 ? b0 + bcs : b0, b2 = cols > 2 ? b1 + bcs : b1;
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
        int main = len / LANES * LANES;
        // one loop over every segment's whole vectors, not a loop in a loop: through the phis of
        // nested loops C2 (JDK 17) keeps the sums as objects, a new one per fma (8 times more collections)
        for (int t = 0, total = segments * main, p = 0, sa = 0, sb = 0; t < total; t += LANES) {
            FloatVector y0 = FloatVector.fromArray(SPECIES, b, b0 + sb + p);
            FloatVector y1 = FloatVector.fromArray(SPECIES, b, b1 + sb + p);
            FloatVector y2 = FloatVector.fromArray(SPECIES, b, b2 + sb + p);
            FloatVector x = FloatVector.fromArray(SPECIES, a, a0 + sa + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.fromArray(SPECIES, a, a1 + sa + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.fromArray(SPECIES, a, a2 + sa + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.fromArray(SPECIES, a, a3 + sa + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            p += LANES;
            if (p == main) {
                p = 0;
                sa += aStep;
                sb += bStep;
            }
        }
        sums[0] = s00.reduceLanes(VectorOperators.ADD);
        sums[1] = s01.reduceLanes(VectorOperators.ADD);
        sums[2] = s02.reduceLanes(VectorOperators.ADD);
        sums[3] = s10.reduceLanes(VectorOperators.ADD);
        sums[4] = s11.reduceLanes(VectorOperators.ADD);
        sums[5] = s12.reduceLanes(VectorOperators.ADD);
        sums[6] = s20.reduceLanes(VectorOperators.ADD);
        sums[7] = s21.reduceLanes(VectorOperators.ADD);
        sums[8] = s22.reduceLanes(VectorOperators.ADD);
        sums[9] = s30.reduceLanes(VectorOperators.ADD);
        sums[10] = s31.reduceLanes(VectorOperators.ADD);
        sums[11] = s32.reduceLanes(VectorOperators.ADD);
        for (int r = 0; r < rows; r++) {
            int ar = r == 0 ? a0 : r == 1 ? a1 : r == 2 ? a2 : a3;
            for (int s = 0; s < cols; s++) {
                // the k's past the last whole vector, one by one
                float sum = sums[3 * r + s];
                for (int seg = 0; seg < segments; seg++) {
                    for (int p = main; p < len; p++) {
                        sum += a[ar + seg * aStep + p] * b[bi + s * bcs + seg * bStep + p];
                    }
                }
                c[o + r * n + s] += sum;
            }
        }
    }
}
