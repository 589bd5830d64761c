package dev.steptorch.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A convolution's input gradient as the product {@code weight^T . grad} whose column rows are
 * added into the image as they are made, im2col's fold inside the product's tile.
 *
 * <p>Column row q = (c, i, j) of that product, over the positions of the image read as one row
 * (see {@link DirectConvolution}), is added into the image from {@code rows[q]} on. Made by
 * {@link FloatGemm}, the columns are a matrix of their own, stored, read again to be added and
 * zeroed for the next block; and the product's k is the output channels, 16 in LeNet's second
 * layer, so short that the kernel spends much of its time loading and storing its tile of C. Here
 * a tile of 6 column rows by 3 vectors of positions sums over the output channels in registers
 * and adds its 18 vectors straight into the image, where {@code correlate2dInput} wants them.
 */
final class FoldTiles {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Column rows per tile. */
    static final int ROWS = 6;
    /** Positions per tile: 3 vectors. */
    static final int WIDTH = 3 * LANES;

    private FoldTiles() {
    }

    /**
     * {@link #tile} for {@link VectorWarmup}, on operands of its own (a LeNet second layer's image),
     * whole tiles and edge ones in turn, so that the compiled kernel has seen both: compiled, a
     * tile takes about 100 ns, so under 2 µs counts as compiled.
     */
    static VectorWarmup.Kernel warmupKernel() {
        int channels = 16, k = 150, span = 136;
        float[] w = new float[channels * k], g = new float[channels * span + WIDTH], gi = new float[6 * 14 * 14];
        float[] scratch = new float[ROWS * WIDTH];
        int[] order = new int[k];
        for (int q = 0; q < k; q++) {
            order[q] = q;
        }
        int[] calls = {0};
        return new VectorWarmup.Kernel("FoldTiles.tile", 2_000L, () -> {
            boolean whole = calls[0]++ % 2 == 0;
            tile(w, 0, k, order, 0, whole ? ROWS : 4, g, 0, span, channels, 0, whole ? WIDTH : WIDTH - 5, gi, 0, order, scratch);
        });
    }

    /**
     * For each of the column rows q = order[t], .., order[t + rowsHere - 1] (at most ROWS) and
     * {@code len} positions from p (at most WIDTH): adds the sums over o below {@code channels} of
     * {@code w[wo + o * k + q]} times {@code g[go + o * gRow + p ..]} into
     * {@code gi[image + rows[q] + p ..]}. The gradient is read WIDTH positions from p whatever len
     * is: the caller pads it.
     */
    static void tile(float[] w, int wo, int k, int[] order, int t, int rowsHere, float[] g, int go, int gRow, int channels,
                     int p, int len, float[] gi, int image, int[] rows, float[] scratch) {
        // a missing column row re-reads the last real one; its sums are not added
        int q0 = order[t], q1 = order[t + Math.min(1, rowsHere - 1)], q2 = order[t + Math.min(2, rowsHere - 1)];
        int q3 = order[t + Math.min(3, rowsHere - 1)], q4 = order[t + Math.min(4, rowsHere - 1)];
        int q5 = order[t + Math.min(5, rowsHere - 1)];
        int w0 = wo + q0, w1 = wo + q1, w2 = wo + q2, w3 = wo + q3, w4 = wo + q4, w5 = wo + q5;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector s00 = zero, s01 = zero, s02 = zero, s10 = zero, s11 = zero, s12 = zero;
        FloatVector s20 = zero, s21 = zero, s22 = zero, s30 = zero, s31 = zero, s32 = zero;
        FloatVector s40 = zero, s41 = zero, s42 = zero, s50 = zero, s51 = zero, s52 = zero;
        for (int o = 0; o < channels; o++) {
            int gi0 = go + o * gRow + p, wk = o * k;
            FloatVector y0 = FloatVector.fromArray(SPECIES, g, gi0);
            FloatVector y1 = FloatVector.fromArray(SPECIES, g, gi0 + LANES);
            FloatVector y2 = FloatVector.fromArray(SPECIES, g, gi0 + 2 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, w[w0 + wk]);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            x = FloatVector.broadcast(SPECIES, w[w1 + wk]);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            x = FloatVector.broadcast(SPECIES, w[w2 + wk]);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            x = FloatVector.broadcast(SPECIES, w[w3 + wk]);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            x = FloatVector.broadcast(SPECIES, w[w4 + wk]);
            s40 = x.fma(y0, s40);
            s41 = x.fma(y1, s41);
            s42 = x.fma(y2, s42);
            x = FloatVector.broadcast(SPECIES, w[w5 + wk]);
            s50 = x.fma(y0, s50);
            s51 = x.fma(y1, s51);
            s52 = x.fma(y2, s52);
        }
        if (len == WIDTH && rowsHere == ROWS) {
            // a whole tile: each vector added where it belongs
            int at0 = image + rows[q0] + p;
            FloatVector.fromArray(SPECIES, gi, at0).add(s00).intoArray(gi, at0);
            FloatVector.fromArray(SPECIES, gi, at0 + LANES).add(s01).intoArray(gi, at0 + LANES);
            FloatVector.fromArray(SPECIES, gi, at0 + 2 * LANES).add(s02).intoArray(gi, at0 + 2 * LANES);
            int at1 = image + rows[q1] + p;
            FloatVector.fromArray(SPECIES, gi, at1).add(s10).intoArray(gi, at1);
            FloatVector.fromArray(SPECIES, gi, at1 + LANES).add(s11).intoArray(gi, at1 + LANES);
            FloatVector.fromArray(SPECIES, gi, at1 + 2 * LANES).add(s12).intoArray(gi, at1 + 2 * LANES);
            int at2 = image + rows[q2] + p;
            FloatVector.fromArray(SPECIES, gi, at2).add(s20).intoArray(gi, at2);
            FloatVector.fromArray(SPECIES, gi, at2 + LANES).add(s21).intoArray(gi, at2 + LANES);
            FloatVector.fromArray(SPECIES, gi, at2 + 2 * LANES).add(s22).intoArray(gi, at2 + 2 * LANES);
            int at3 = image + rows[q3] + p;
            FloatVector.fromArray(SPECIES, gi, at3).add(s30).intoArray(gi, at3);
            FloatVector.fromArray(SPECIES, gi, at3 + LANES).add(s31).intoArray(gi, at3 + LANES);
            FloatVector.fromArray(SPECIES, gi, at3 + 2 * LANES).add(s32).intoArray(gi, at3 + 2 * LANES);
            int at4 = image + rows[q4] + p;
            FloatVector.fromArray(SPECIES, gi, at4).add(s40).intoArray(gi, at4);
            FloatVector.fromArray(SPECIES, gi, at4 + LANES).add(s41).intoArray(gi, at4 + LANES);
            FloatVector.fromArray(SPECIES, gi, at4 + 2 * LANES).add(s42).intoArray(gi, at4 + 2 * LANES);
            int at5 = image + rows[q5] + p;
            FloatVector.fromArray(SPECIES, gi, at5).add(s50).intoArray(gi, at5);
            FloatVector.fromArray(SPECIES, gi, at5 + LANES).add(s51).intoArray(gi, at5 + LANES);
            FloatVector.fromArray(SPECIES, gi, at5 + 2 * LANES).add(s52).intoArray(gi, at5 + 2 * LANES);
            return;
        }
        // an edge tile through a tile of scratch (ROWS x WIDTH), of which only its real part is added
        s00.intoArray(scratch, 0);
        s01.intoArray(scratch, LANES);
        s02.intoArray(scratch, 2 * LANES);
        s10.intoArray(scratch, WIDTH);
        s11.intoArray(scratch, WIDTH + LANES);
        s12.intoArray(scratch, WIDTH + 2 * LANES);
        s20.intoArray(scratch, 2 * WIDTH);
        s21.intoArray(scratch, 2 * WIDTH + LANES);
        s22.intoArray(scratch, 2 * WIDTH + 2 * LANES);
        s30.intoArray(scratch, 3 * WIDTH);
        s31.intoArray(scratch, 3 * WIDTH + LANES);
        s32.intoArray(scratch, 3 * WIDTH + 2 * LANES);
        s40.intoArray(scratch, 4 * WIDTH);
        s41.intoArray(scratch, 4 * WIDTH + LANES);
        s42.intoArray(scratch, 4 * WIDTH + 2 * LANES);
        s50.intoArray(scratch, 5 * WIDTH);
        s51.intoArray(scratch, 5 * WIDTH + LANES);
        s52.intoArray(scratch, 5 * WIDTH + 2 * LANES);
        for (int r = 0; r < rowsHere; r++) {
            WindowRuns.addRun(scratch, r * WIDTH, gi, image + rows[order[t + r]] + p, len);
        }
    }

}
