package dev.steptorch.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A convolution's weight gradient with the output channels across the vector lanes, for layers
 * whose output channels fill whole vectors (LeNet's second layer: 16, one AVX-512 vector).
 *
 * <p>Number (q, o) of the gradient, q a column row (c, i, j) and o an output channel, is the sum
 * over the output pixels of {@code x[c, y + i, x + j] * grad[o, y, x]}. {@link FloatDots} runs its
 * vectors along the pixels: each sum is a dot product, 136 positions per image in LeNet's second
 * layer, 36 of them the thrown-away ones, each sum folded from a vector into a number at the end,
 * and 16 channels cut into tiles of 3 that waste two sixths of the last. Here the vectors run
 * along the channels instead: with the gradient transposed (pixels by channels), every pixel adds
 * one input number, broadcast to all lanes, times one vector of the gradient's channels, to a
 * vector sum of 12 column rows; only the real output pixels are visited, through a table of their
 * places in the image, and no sum needs folding.
 */
final class ChannelLanes {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Column rows per tile: 12 vector sums in registers, enough independent chains to keep both FMA units busy. */
    static final int ROWS = 12;

    private ChannelLanes() {
    }

    /** True when the output channels fill whole vectors, so that no lane is padding. */
    static boolean suits(int outChannels) {
        return outChannels % LANES == 0;
    }

    /**
     * {@link #tile} for {@link VectorWarmup}, on operands of its own (a LeNet second layer's
     * image): compiled, a pixel takes a few ns, so under 50 ns per pixel counts as compiled.
     */
    static VectorWarmup.Kernel warmupKernel() {
        int pixels = 100;
        float[] x = new float[14 * 14 + ROWS], gt = new float[pixels * LANES], part = new float[ROWS * LANES];
        int[] rows = new int[ROWS], at = new int[pixels];
        for (int r = 0; r < ROWS; r++) {
            rows[r] = r;
        }
        for (int m = 0; m < pixels; m++) {
            at[m] = m / 10 * 14 + m % 10;
        }
        return new VectorWarmup.Kernel("ChannelLanes.tile", 50L * pixels,
                () -> tile(x, 0, rows, 0, at, pixels, gt, LANES, 0, part));
    }

    /**
     * Adds to rows q..q+ROWS-1 of {@code part} (row-major, {@code width} numbers a row), lanes
     * {@code lane}.. of each, the sums over t < count of {@code x[xo + rows[q + r] + at[t]]} times
     * {@code gt[t * width + lane..]}. {@code rows} and {@code part} have room for whole tiles.
     */
    static void tile(float[] x, int xo, int[] rows, int q, int[] at, int count, float[] gt, int width, int lane, float[] part) {
        int r0 = xo + rows[q], r1 = xo + rows[q + 1], r2 = xo + rows[q + 2], r3 = xo + rows[q + 3];
        int r4 = xo + rows[q + 4], r5 = xo + rows[q + 5], r6 = xo + rows[q + 6], r7 = xo + rows[q + 7];
        int r8 = xo + rows[q + 8], r9 = xo + rows[q + 9], r10 = xo + rows[q + 10], r11 = xo + rows[q + 11];
        int p0 = q * width + lane;
        FloatVector s0 = FloatVector.fromArray(SPECIES, part, p0), s1 = FloatVector.fromArray(SPECIES, part, p0 + width);
        FloatVector s2 = FloatVector.fromArray(SPECIES, part, p0 + 2 * width), s3 = FloatVector.fromArray(SPECIES, part, p0 + 3 * width);
        FloatVector s4 = FloatVector.fromArray(SPECIES, part, p0 + 4 * width), s5 = FloatVector.fromArray(SPECIES, part, p0 + 5 * width);
        FloatVector s6 = FloatVector.fromArray(SPECIES, part, p0 + 6 * width), s7 = FloatVector.fromArray(SPECIES, part, p0 + 7 * width);
        FloatVector s8 = FloatVector.fromArray(SPECIES, part, p0 + 8 * width), s9 = FloatVector.fromArray(SPECIES, part, p0 + 9 * width);
        FloatVector s10 = FloatVector.fromArray(SPECIES, part, p0 + 10 * width);
        FloatVector s11 = FloatVector.fromArray(SPECIES, part, p0 + 11 * width);
        for (int t = 0; t < count; t++) {
            int p = at[t];
            FloatVector g = FloatVector.fromArray(SPECIES, gt, t * width + lane);
            s0 = FloatVector.broadcast(SPECIES, x[r0 + p]).fma(g, s0);
            s1 = FloatVector.broadcast(SPECIES, x[r1 + p]).fma(g, s1);
            s2 = FloatVector.broadcast(SPECIES, x[r2 + p]).fma(g, s2);
            s3 = FloatVector.broadcast(SPECIES, x[r3 + p]).fma(g, s3);
            s4 = FloatVector.broadcast(SPECIES, x[r4 + p]).fma(g, s4);
            s5 = FloatVector.broadcast(SPECIES, x[r5 + p]).fma(g, s5);
            s6 = FloatVector.broadcast(SPECIES, x[r6 + p]).fma(g, s6);
            s7 = FloatVector.broadcast(SPECIES, x[r7 + p]).fma(g, s7);
            s8 = FloatVector.broadcast(SPECIES, x[r8 + p]).fma(g, s8);
            s9 = FloatVector.broadcast(SPECIES, x[r9 + p]).fma(g, s9);
            s10 = FloatVector.broadcast(SPECIES, x[r10 + p]).fma(g, s10);
            s11 = FloatVector.broadcast(SPECIES, x[r11 + p]).fma(g, s11);
        }
        s0.intoArray(part, p0);
        s1.intoArray(part, p0 + width);
        s2.intoArray(part, p0 + 2 * width);
        s3.intoArray(part, p0 + 3 * width);
        s4.intoArray(part, p0 + 4 * width);
        s5.intoArray(part, p0 + 5 * width);
        s6.intoArray(part, p0 + 6 * width);
        s7.intoArray(part, p0 + 7 * width);
        s8.intoArray(part, p0 + 8 * width);
        s9.intoArray(part, p0 + 9 * width);
        s10.intoArray(part, p0 + 10 * width);
        s11.intoArray(part, p0 + 11 * width);
    }
}
